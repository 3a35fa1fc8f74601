// SPDX-License-Identifier: MIT
// Kernels with the semantics of the 9 OpenCL-CTS SVM tests' kernels,
// written for this project.
typedef struct node { global struct node *next; int value; } node_t;

// byte granularity: each work-item writes its bytes, then counts the others'
kernel void write_owned_locations(global char *a, uint num_devices, char my_id)
{
	size_t i = get_global_id(0);
	if (i % (num_devices + 1) == (size_t)my_id)
		a[i] = my_id;
}

kernel void sum_neighbor_locations(global char *a, uint num_devices, global uint *error)
{
	size_t i = get_global_id(0);
	int sum = 0;
	for (uint k = 0; k <= num_devices && i + k < get_global_size(0); k++)
		sum += a[i + k];
	if (sum < 0)
		atomic_inc(error);
}

// exec info pointers: data reachable only through a pointer in a struct
typedef struct { global int *ptr; } wrapper_t;
kernel void set_kernel_exec_info_kernel(global wrapper_t *w)
{
	size_t i = get_global_id(0);
	w->ptr[i]++;
}

// memory consistency: lock-free hash insert shared with host and devices
kernel void build_hash_table(global ulong *input, global atomic_ulong *table,
			     uint size, global atomic_int *done)
{
	ulong key = input[get_global_id(0)];
	uint h = (uint)(key % size);
	for (;;) {
		ulong expected = 0;
		if (atomic_compare_exchange_strong_explicit(&table[h], &expected, key,
				memory_order_relaxed, memory_order_relaxed, memory_scope_all_svm_devices))
			break;
		h = (h + 1) % size;
	}
	atomic_fetch_add_explicit(done, 1, memory_order_release, memory_scope_all_svm_devices);
}

// sync buffers: the device signals the host while still running
kernel void find_targets(global uint *image, uint target, volatile global atomic_uint *num_found,
			 volatile global atomic_uint *locations)
{
	size_t i = get_global_id(0);
	if (image[i] == target) {
		uint idx = atomic_fetch_add_explicit(num_found, 1, memory_order_acq_rel,
						     memory_scope_all_svm_devices);
		atomic_exchange_explicit(&locations[idx], (uint)i, memory_order_release,
					 memory_scope_all_svm_devices);
	}
}

// shared address space: build and verify linked lists
kernel void create_linked_lists(global node_t *pnodes, global atomic_uint *num_lists, int list_length)
{
	size_t i = get_global_id(0);
	global node_t *p = &pnodes[i * list_length];
	for (int k = 0; k < list_length; k++) {
		p->value = (int)(i * list_length + k);
		p->next = k + 1 < list_length ? p + 1 : 0;
		p++;
	}
	atomic_fetch_add(num_lists, 1);
}

kernel void verify_linked_lists(global node_t *pnodes, global uint *num_correct, int list_length)
{
	size_t i = get_global_id(0);
	global node_t *p = &pnodes[i * list_length];
	int ok = 1;
	for (int k = 0; k < list_length; k++, p = p->next)
		if (!p || p->value != (int)(i * list_length + k))
			ok = 0;
	if (ok)
		atomic_inc(num_correct);
}

// cross-buffer pointers
kernel void cross_buffer(global node_t *a, global node_t *b)
{
	size_t i = get_global_id(0);
	a[i].next = &b[i];
	b[i].value = a[i].value + 1;
}

// pointer passing: every byte offset
kernel void verify_char(global uchar *p, global uint *ok)
{
	ok[0] = *p == 0xa5;
}

// sub-buffers and shared buffers
kernel void shared_sub_buffers(global int *whole, global int *sub, int offset)
{
	size_t i = get_global_id(0);
	sub[i] = whole[i + offset] * 2;
}

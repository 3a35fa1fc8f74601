// SPDX-License-Identifier: MIT
// The opencl.md §1 probe set. "expect" lines are checked against --info.
// expect counter 0 counter global 8 0
kernel void counter(global atomic_int *counter, int m)
{
	for (int i = 0; i < m; i++)
		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed,
					  memory_scope_all_svm_devices);
}

struct node { global struct node *next; long value; };
// expect chase 1 out global 8 8
kernel void chase(global struct node *head, global long *out)
{
	long sum = 0;
	for (global struct node *n = head; n; n = n->next)
		sum += n->value;
	*out = sum;
}

// expect hash_insert32 0 table global 8 0
kernel void hash_insert32(global atomic_uint *table, uint size, global const uint *keys)
{
	uint k = keys[get_global_id(0)], h = (k * 2654435761u) % size;
	for (;;) {
		uint expected = 0;
		if (atomic_compare_exchange_strong_explicit(&table[h], &expected, k,
				memory_order_acq_rel, memory_order_relaxed, memory_scope_all_svm_devices)
		    || expected == k)
			return;
		h = (h + 1) % size;
	}
}

kernel void hash_insert64(global atomic_ulong *table, ulong size, global const ulong *keys)
{
	ulong k = keys[get_global_id(0)], h = (k * 0x9e3779b97f4a7c15ul) % size;
	for (;;) {
		ulong expected = 0;
		if (atomic_compare_exchange_strong(&table[h], &expected, k) || expected == k)
			return;
		h = (h + 1) % size;
	}
}

// expect saxpy 2 a value 4 16
kernel void saxpy(global float *y, global const float *x, float a, global int *ci)
{
	size_t i = get_global_id(0);
	y[i] = a * x[i] + y[i] / x[i] + sqrt(x[i]);
	ci[i] = convert_int_sat_rte(y[i]) + (int)x[i];
}

typedef struct { int a; float b; double c[3]; char d; } params_t;
// expect seven 6 p value 40 48
// expect seven 3 v value 16 16
kernel void seven(global int *o, char c, short s, float4 v, long l, uint u, params_t p)
{
	o[0] = c + s + (int)v.w + (int)l + (int)u + p.a + (int)p.b + (int)p.c[2] + p.d;
}

// expect reduce 1 scratch local 8 8
kernel void reduce(global const float *in, local float *scratch, global float *out)
{
	local float fixed[64];
	size_t l = get_local_id(0), n = get_local_size(0);
	scratch[l] = in[get_global_id(0)];
	fixed[l & 63] = scratch[l];
	barrier(CLK_LOCAL_MEM_FENCE);
	for (size_t s = n / 2; s; s /= 2) {
		if (l < s)
			scratch[l] += scratch[l + s];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (!l)
		out[get_group_id(0)] = scratch[0] + fixed[0];
	work_group_barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
}

kernel void ids3(global ulong *o)
{
	size_t i = get_global_linear_id();
	o[3 * i] = get_global_id(0);
	o[3 * i + 1] = get_global_id(1);
	o[3 * i + 2] = get_global_id(2) + get_work_dim();
}

kernel void jump(global int *o, int x)
{
	switch (x) {
	case 0: o[0] = 11; break; case 1: o[0] = 27; break; case 2: o[0] = 5; break;
	case 3: o[0] = 91; break; case 4: o[0] = 13; break; case 5: o[0] = 2; break;
	case 6: o[0] = 77; break; case 7: o[0] = 40; break; default: o[0] = -1;
	}
}

typedef struct { long v[12]; } big_t;
kernel void copy96(global big_t *dst, global const big_t *src)
{
	big_t t = src[get_global_id(0)];
	t.v[3]++;
	dst[get_global_id(0)] = t;
}

kernel void divrem(global long *o, long a, long b, ulong c, ulong d)
{
	o[0] = a / b; o[1] = a % b; o[2] = c / d; o[3] = c % d;
}

void bump(int *p) { (*p)++; }
kernel void generic_ptrs(global int *g, int which)
{
	local int l;
	int priv = 1;
	l = 2;
	int *p = which == 0 ? (int *)g : which == 1 ? (int *)&l : (int *)&priv;
	bump(p);
	g[1] = priv + l + (to_global(p) != 0);
}

// expect big_private 0 o global 8 0
kernel void big_private(global int *o, int n)
{
	int a[1024];
	for (int i = 0; i < 1024; i++)
		a[i] = i * n;
	o[0] = a[o[1] & 1023];
}

kernel void dbl(global double *o, double x)
{
	o[0] = x * x + o[1] / x;
}

kernel void mulhi(global ulong *o, ulong a, ulong b, long c, long d)
{
	o[0] = mul_hi(a, b);
	o[1] = (ulong)mul_hi(c, d);
}

kernel void fences(global int *o)
{
	o[0] = 1;
	mem_fence(CLK_GLOBAL_MEM_FENCE);
	atomic_work_item_fence(CLK_GLOBAL_MEM_FENCE, memory_order_seq_cst, memory_scope_device);
	o[1] = atomic_add(o + 2, 1) + atom_inc(o + 3);
}

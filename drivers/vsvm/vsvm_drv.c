// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm
 *
 * vsvm is a virtual GPU with shared virtual memory, shaped like nouveau's
 * SVM support: a per-client GPU VM mirroring the client's address space
 * through the drm_svm helpers, a software multi-level GPU page table, an
 * engine that runs command buffers and translates every access through
 * that page table, and a replayable fault buffer serviced by a fault
 * handler. It exists to prove the helpers and to give IGT and OpenCL
 * something real to run on.
 *
 * Devices are created at module load, like vgem: ``num_devices`` (1 to 4)
 * platform devices, each a DRM device with a render node. Each open file
 * is a VM (see vsvm_vm.c); the uAPI is in uapi/drm/vsvm_drm.h.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>

#include "vsvm_drv.h"

#define DRIVER_NAME	"vsvm"
#define DRIVER_DESC	"Virtual SVM GPU on the drm-svm helpers"
#define DRIVER_DATE	"20261121"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of vsvm devices (1-4, default 1)");

static struct vsvm_device *vsvm_devices[VSVM_MAX_DEVICES];

/**
 * vsvm_device_exists() - whether device @index was created
 * @index: a device index
 *
 * Return: true for 0 to num_devices - 1.
 */
bool vsvm_device_exists(unsigned int index)
{
	return index < num_devices && index < VSVM_MAX_DEVICES;
}

static int vsvm_open(struct drm_device *drm, struct drm_file *file)
{
	struct vsvm_file *vf;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;
	mutex_init(&vf->lock);
	file->driver_priv = vf;
	return 0;
}

static void vsvm_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;

	if (vf->vm)
		vsvm_vm_destroy(vf->vm);
	mutex_destroy(&vf->lock);
	kfree(vf);
}

static const struct drm_ioctl_desc vsvm_ioctls[] = {
	DRM_IOCTL_DEF_DRV(VSVM_GET_PARAM, vsvm_ioctl_get_param, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_INIT, vsvm_ioctl_vm_init, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_EXEC, vsvm_ioctl_exec, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_WAIT, vsvm_ioctl_wait, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_FAULT_INFO, vsvm_ioctl_fault_info, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_STATS, vsvm_ioctl_stats, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_ADVISE, vsvm_ioctl_advise, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_PREFETCH, vsvm_ioctl_prefetch, DRM_RENDER_ALLOW),
};

static const struct file_operations vsvm_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static const struct drm_driver vsvm_driver = {
	.driver_features = DRIVER_RENDER,
	.open = vsvm_open,
	.postclose = vsvm_postclose,
	.ioctls = vsvm_ioctls,
	.num_ioctls = ARRAY_SIZE(vsvm_ioctls),
	.fops = &vsvm_fops,
	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.date = DRIVER_DATE,
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
};

/*
 * The engine reaches memory through the address it finds in a GPU PTE,
 * like real hardware, and turns it back into a page. That needs DMA
 * addresses to be physical addresses: no IOMMU, no bounce buffering.
 */
static int vsvm_check_dma(struct device *dev)
{
	struct page *page = alloc_page(GFP_KERNEL);
	dma_addr_t addr;
	int err = 0;

	if (!page)
		return -ENOMEM;
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, addr)) {
		err = -ENOMEM;
		goto out_free;
	}
	if (addr != page_to_phys(page)) {
		dev_err(dev, "DMA addresses are not physical (IOMMU?); vsvm needs direct mapping\n");
		err = -ENODEV;
	}
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
out_free:
	__free_page(page);
	return err;
}

static struct vsvm_device *vsvm_device_create(unsigned int index)
{
	/*
	 * A name of its own per device ("vsvm0", "vsvm1"): libdrm's
	 * drmGetDevices2() tells platform devices without an OF node apart
	 * by their MODALIAS, "platform:<name>", which has no id.
	 */
	char name[16];
	struct platform_device_info info = {
		.name = name,
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct platform_device *pdev;
	struct vsvm_device *vdev;
	int err;

	snprintf(name, sizeof(name), DRIVER_NAME "%u", index);
	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		err = -ENOMEM;
		goto err_unregister;
	}
	err = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (!err)
		err = vsvm_check_dma(&pdev->dev);
	if (err)
		goto err_release;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vsvm_driver, struct vsvm_device,
				  drm);
	if (IS_ERR(vdev)) {
		err = PTR_ERR(vdev);
		goto err_release;
	}
	vdev->pdev = pdev;
	vdev->index = index;
	mutex_init(&vdev->vms_lock);
	INIT_LIST_HEAD(&vdev->vms);
	vdev->engine_wq = alloc_workqueue("vsvm%u-engine", WQ_UNBOUND, 0, index);
	if (!vdev->engine_wq) {
		err = -ENOMEM;
		goto err_release;
	}
	vdev->fault_wq = alloc_workqueue("vsvm%u-fault", WQ_UNBOUND | WQ_HIGHPRI,
					 0, index);
	if (!vdev->fault_wq) {
		err = -ENOMEM;
		goto err_destroy_engine_wq;
	}
	err = vsvm_vram_init(vdev);
	if (err)
		goto err_destroy_fault_wq;
	err = drm_dev_register(&vdev->drm, 0);
	if (err)
		goto err_vram;
	vsvm_debugfs_device_init(vdev);
	return vdev;

err_vram:
	vsvm_vram_fini(vdev);
err_destroy_fault_wq:
	destroy_workqueue(vdev->fault_wq);
err_destroy_engine_wq:
	destroy_workqueue(vdev->engine_wq);
err_release:
	devres_release_group(&pdev->dev, NULL);
err_unregister:
	platform_device_unregister(pdev);
	return ERR_PTR(err);
}

static void vsvm_device_destroy(struct vsvm_device *vdev)
{
	struct platform_device *pdev = vdev->pdev;

	drm_dev_unregister(&vdev->drm);
	vsvm_vram_fini(vdev);
	destroy_workqueue(vdev->fault_wq);
	destroy_workqueue(vdev->engine_wq);
	mutex_destroy(&vdev->vms_lock);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
}

static void vsvm_destroy_all(void)
{
	unsigned int i;

	for (i = 0; i < VSVM_MAX_DEVICES; i++) {
		if (vsvm_devices[i])
			vsvm_device_destroy(vsvm_devices[i]);
		vsvm_devices[i] = NULL;
	}
	/* Page-table pages freed after a grace period (vsvm_pt.c). */
	rcu_barrier();
}

static int __init vsvm_init(void)
{
	unsigned int i;

	if (!num_devices || num_devices > VSVM_MAX_DEVICES) {
		pr_err("vsvm: num_devices must be 1 to %d\n", VSVM_MAX_DEVICES);
		return -EINVAL;
	}
	for (i = 0; i < num_devices; i++) {
		struct vsvm_device *vdev = vsvm_device_create(i);

		if (IS_ERR(vdev)) {
			vsvm_destroy_all();
			return PTR_ERR(vdev);
		}
		vsvm_devices[i] = vdev;
	}
	return 0;
}

static void __exit vsvm_exit(void)
{
	vsvm_destroy_all();
}

module_init(vsvm_init);
module_exit(vsvm_exit);

MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");

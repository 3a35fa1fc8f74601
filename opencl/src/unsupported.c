// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: what no vsvm device supports, answered the way the spec says for a
 * device without it: images and samplers (CL_DEVICE_IMAGE_SUPPORT is
 * false), pipes, on-device queues, sub-devices, sub-groups, GL sharing.
 * Every entry checks its handles first, so that a bad handle still gets
 * the handle's error.
 */
#include "vcl.h"

static cl_int ctx_err(cl_context ctx, cl_int otherwise)
{
	return vcl_obj_valid(ctx, VCL_CONTEXT) ? otherwise : CL_INVALID_CONTEXT;
}

static cl_int queue_err(cl_command_queue q, cl_int otherwise)
{
	return vcl_queue_valid(q) ? otherwise : CL_INVALID_COMMAND_QUEUE;
}

static void *set_err(cl_int *errcode_ret, cl_int err)
{
	if (errcode_ret)
		*errcode_ret = err;
	return NULL;
}

/* No image can exist: a memory object given as one is a buffer. */
#define NOT_AN_IMAGE(q) queue_err((q), CL_INVALID_MEM_OBJECT)

cl_mem CL_API_CALL vclCreateImage(cl_context ctx, cl_mem_flags flags,
				  const cl_image_format *format,
				  const cl_image_desc *desc, void *host_ptr,
				  cl_int *errcode_ret)
{
	(void)flags; (void)format; (void)desc; (void)host_ptr;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_mem CL_API_CALL vclCreateImageWithProperties(
	cl_context ctx, const cl_mem_properties *props, cl_mem_flags flags,
	const cl_image_format *format, const cl_image_desc *desc,
	void *host_ptr, cl_int *errcode_ret)
{
	(void)props; (void)flags; (void)format; (void)desc; (void)host_ptr;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_mem CL_API_CALL vclCreateImage2D(cl_context ctx, cl_mem_flags flags,
				    const cl_image_format *format, size_t w,
				    size_t h, size_t pitch, void *host_ptr,
				    cl_int *errcode_ret)
{
	(void)flags; (void)format; (void)w; (void)h; (void)pitch; (void)host_ptr;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_mem CL_API_CALL vclCreateImage3D(cl_context ctx, cl_mem_flags flags,
				    const cl_image_format *format, size_t w,
				    size_t h, size_t d, size_t row_pitch,
				    size_t slice_pitch, void *host_ptr,
				    cl_int *errcode_ret)
{
	(void)flags; (void)format; (void)w; (void)h; (void)d; (void)row_pitch;
	(void)slice_pitch; (void)host_ptr;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_int CL_API_CALL vclGetSupportedImageFormats(cl_context ctx,
					       cl_mem_flags flags,
					       cl_mem_object_type type,
					       cl_uint num, cl_image_format *formats,
					       cl_uint *num_ret)
{
	(void)flags;
	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	if ((formats && !num) ||
	    (type != CL_MEM_OBJECT_IMAGE1D && type != CL_MEM_OBJECT_IMAGE1D_BUFFER &&
	     type != CL_MEM_OBJECT_IMAGE1D_ARRAY && type != CL_MEM_OBJECT_IMAGE2D &&
	     type != CL_MEM_OBJECT_IMAGE2D_ARRAY && type != CL_MEM_OBJECT_IMAGE3D))
		return CL_INVALID_VALUE;
	if (num_ret)
		*num_ret = 0;
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetImageInfo(cl_mem m, cl_image_info name, size_t size,
				   void *value, size_t *size_ret)
{
	(void)m; (void)name; (void)size; (void)value; (void)size_ret;
	return CL_INVALID_MEM_OBJECT;
}

cl_int CL_API_CALL vclEnqueueReadImage(cl_command_queue q, cl_mem m,
				       cl_bool blocking, const size_t *origin,
				       const size_t *region, size_t row_pitch,
				       size_t slice_pitch, void *ptr,
				       cl_uint num_wait, const cl_event *wait,
				       cl_event *event)
{
	(void)m; (void)blocking; (void)origin; (void)region; (void)row_pitch;
	(void)slice_pitch; (void)ptr; (void)num_wait; (void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

cl_int CL_API_CALL vclEnqueueWriteImage(cl_command_queue q, cl_mem m,
					cl_bool blocking, const size_t *origin,
					const size_t *region, size_t row_pitch,
					size_t slice_pitch, const void *ptr,
					cl_uint num_wait, const cl_event *wait,
					cl_event *event)
{
	(void)m; (void)blocking; (void)origin; (void)region; (void)row_pitch;
	(void)slice_pitch; (void)ptr; (void)num_wait; (void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

cl_int CL_API_CALL vclEnqueueFillImage(cl_command_queue q, cl_mem m,
				       const void *color, const size_t *origin,
				       const size_t *region, cl_uint num_wait,
				       const cl_event *wait, cl_event *event)
{
	(void)m; (void)color; (void)origin; (void)region; (void)num_wait;
	(void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

cl_int CL_API_CALL vclEnqueueCopyImage(cl_command_queue q, cl_mem src,
				       cl_mem dst, const size_t *src_origin,
				       const size_t *dst_origin,
				       const size_t *region, cl_uint num_wait,
				       const cl_event *wait, cl_event *event)
{
	(void)src; (void)dst; (void)src_origin; (void)dst_origin; (void)region;
	(void)num_wait; (void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

cl_int CL_API_CALL vclEnqueueCopyImageToBuffer(cl_command_queue q, cl_mem src,
					       cl_mem dst, const size_t *origin,
					       const size_t *region,
					       size_t offset, cl_uint num_wait,
					       const cl_event *wait,
					       cl_event *event)
{
	(void)src; (void)dst; (void)origin; (void)region; (void)offset;
	(void)num_wait; (void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

cl_int CL_API_CALL vclEnqueueCopyBufferToImage(cl_command_queue q, cl_mem src,
					       cl_mem dst, size_t offset,
					       const size_t *origin,
					       const size_t *region,
					       cl_uint num_wait,
					       const cl_event *wait,
					       cl_event *event)
{
	(void)src; (void)dst; (void)origin; (void)region; (void)offset;
	(void)num_wait; (void)wait; (void)event;
	return NOT_AN_IMAGE(q);
}

void *CL_API_CALL vclEnqueueMapImage(cl_command_queue q, cl_mem m,
				     cl_bool blocking, cl_map_flags flags,
				     const size_t *origin, const size_t *region,
				     size_t *row_pitch, size_t *slice_pitch,
				     cl_uint num_wait, const cl_event *wait,
				     cl_event *event, cl_int *errcode_ret)
{
	(void)m; (void)blocking; (void)flags; (void)origin; (void)region;
	(void)row_pitch; (void)slice_pitch; (void)num_wait; (void)wait;
	(void)event;
	return set_err(errcode_ret, NOT_AN_IMAGE(q));
}

/* Samplers: only for images. */
cl_sampler CL_API_CALL vclCreateSampler(cl_context ctx, cl_bool normalized,
					cl_addressing_mode addressing,
					cl_filter_mode filter,
					cl_int *errcode_ret)
{
	(void)normalized; (void)addressing; (void)filter;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_sampler CL_API_CALL vclCreateSamplerWithProperties(
	cl_context ctx, const cl_sampler_properties *props, cl_int *errcode_ret)
{
	(void)props;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_int CL_API_CALL vclRetainSampler(cl_sampler s)
{
	(void)s;
	return CL_INVALID_SAMPLER;
}

cl_int CL_API_CALL vclReleaseSampler(cl_sampler s)
{
	(void)s;
	return CL_INVALID_SAMPLER;
}

cl_int CL_API_CALL vclGetSamplerInfo(cl_sampler s, cl_sampler_info name,
				     size_t size, void *value, size_t *size_ret)
{
	(void)s; (void)name; (void)size; (void)value; (void)size_ret;
	return CL_INVALID_SAMPLER;
}

/* Pipes (CL_DEVICE_PIPE_SUPPORT is false). */
cl_mem CL_API_CALL vclCreatePipe(cl_context ctx, cl_mem_flags flags,
				 cl_uint packet_size, cl_uint max_packets,
				 const cl_pipe_properties *props,
				 cl_int *errcode_ret)
{
	(void)flags; (void)packet_size; (void)max_packets; (void)props;
	return set_err(errcode_ret, ctx_err(ctx, CL_INVALID_OPERATION));
}

cl_int CL_API_CALL vclGetPipeInfo(cl_mem m, cl_pipe_info name, size_t size,
				  void *value, size_t *size_ret)
{
	(void)name; (void)size; (void)value; (void)size_ret;
	(void)m;
	return CL_INVALID_MEM_OBJECT;
}

/* On-device queues (CL_DEVICE_DEVICE_ENQUEUE_CAPABILITIES is 0). */
cl_int CL_API_CALL vclSetDefaultDeviceCommandQueue(cl_context ctx,
						   cl_device_id dev,
						   cl_command_queue q)
{
	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	if (!vcl_device_valid(dev) || !vcl_context_has_device(ctx, dev))
		return CL_INVALID_DEVICE;
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	return CL_INVALID_OPERATION;
}

/* cl_ext_device_fission and cl_khr_subgroups are not advertised. */
cl_int CL_API_CALL vclCreateSubDevicesEXT(
	cl_device_id dev, const cl_device_partition_property_ext *props,
	cl_uint num, cl_device_id *out, cl_uint *num_ret)
{
	(void)props; (void)num; (void)out; (void)num_ret;
	return vcl_device_valid(dev) ? CL_INVALID_VALUE : CL_INVALID_DEVICE;
}

cl_int CL_API_CALL vclRetainDeviceEXT(cl_device_id dev)
{
	return vclRetainDevice(dev);
}

cl_int CL_API_CALL vclReleaseDeviceEXT(cl_device_id dev)
{
	return vclReleaseDevice(dev);
}

cl_int CL_API_CALL vclGetKernelSubGroupInfoKHR(cl_kernel k, cl_device_id dev,
					       cl_kernel_sub_group_info name,
					       size_t in_size, const void *in,
					       size_t size, void *value,
					       size_t *size_ret)
{
	return vclGetKernelSubGroupInfo(k, dev, name, in_size, in, size, value,
					size_ret);
}

/* GL sharing: no context is created from a GL context. */
cl_mem CL_API_CALL vclCreateFromGLBuffer(cl_context ctx, cl_mem_flags flags,
					 cl_GLuint obj, int *errcode_ret)
{
	(void)flags; (void)obj;
	if (errcode_ret)
		*errcode_ret = CL_INVALID_CONTEXT;
	(void)ctx;
	return NULL;
}

cl_mem CL_API_CALL vclCreateFromGLTexture(cl_context ctx, cl_mem_flags flags,
					  cl_GLenum target, cl_GLint level,
					  cl_GLuint tex, cl_int *errcode_ret)
{
	(void)ctx; (void)flags; (void)target; (void)level; (void)tex;
	return set_err(errcode_ret, CL_INVALID_CONTEXT);
}

cl_mem CL_API_CALL vclCreateFromGLTexture2D(cl_context ctx, cl_mem_flags flags,
					    cl_GLenum target, cl_GLint level,
					    cl_GLuint tex, cl_int *errcode_ret)
{
	(void)ctx; (void)flags; (void)target; (void)level; (void)tex;
	return set_err(errcode_ret, CL_INVALID_CONTEXT);
}

cl_mem CL_API_CALL vclCreateFromGLTexture3D(cl_context ctx, cl_mem_flags flags,
					    cl_GLenum target, cl_GLint level,
					    cl_GLuint tex, cl_int *errcode_ret)
{
	(void)ctx; (void)flags; (void)target; (void)level; (void)tex;
	return set_err(errcode_ret, CL_INVALID_CONTEXT);
}

cl_mem CL_API_CALL vclCreateFromGLRenderbuffer(cl_context ctx,
					       cl_mem_flags flags,
					       cl_GLuint rb, cl_int *errcode_ret)
{
	(void)ctx; (void)flags; (void)rb;
	return set_err(errcode_ret, CL_INVALID_CONTEXT);
}

cl_int CL_API_CALL vclGetGLObjectInfo(cl_mem m, cl_gl_object_type *type,
				      cl_GLuint *name)
{
	(void)type; (void)name;
	return vcl_mem_valid(m) ? CL_INVALID_GL_OBJECT : CL_INVALID_MEM_OBJECT;
}

cl_int CL_API_CALL vclGetGLTextureInfo(cl_mem m, cl_gl_texture_info name,
				       size_t size, void *value,
				       size_t *size_ret)
{
	(void)name; (void)size; (void)value; (void)size_ret;
	return vcl_mem_valid(m) ? CL_INVALID_GL_OBJECT : CL_INVALID_MEM_OBJECT;
}

cl_int CL_API_CALL vclEnqueueAcquireGLObjects(cl_command_queue q, cl_uint num,
					      const cl_mem *mems,
					      cl_uint num_wait,
					      const cl_event *wait,
					      cl_event *event)
{
	(void)num; (void)mems; (void)num_wait; (void)wait; (void)event;
	return queue_err(q, CL_INVALID_CONTEXT);
}

cl_int CL_API_CALL vclEnqueueReleaseGLObjects(cl_command_queue q, cl_uint num,
					      const cl_mem *mems,
					      cl_uint num_wait,
					      const cl_event *wait,
					      cl_event *event)
{
	(void)num; (void)mems; (void)num_wait; (void)wait; (void)event;
	return queue_err(q, CL_INVALID_CONTEXT);
}

cl_int CL_API_CALL vclGetGLContextInfoKHR(const cl_context_properties *props,
					  cl_gl_context_info name, size_t size,
					  void *value, size_t *size_ret)
{
	(void)props; (void)name; (void)size; (void)value; (void)size_ret;
	return CL_INVALID_OPERATION;
}

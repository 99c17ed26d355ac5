// Package output is a test stand-in for fluent-bit-go's output package: same exported API,
// same C ABI towards the host (Fluent Bit or Sluice).
package output

/*
#include <stdlib.h>
#include "flb_plugin.h"
#include "flb_output.h"
*/
import "C"

import (
	"sync"
	"unsafe"
)

const (
	FLB_ERROR = C.FLB_ERROR
	FLB_OK    = C.FLB_OK
	FLB_RETRY = C.FLB_RETRY

	FLB_PROXY_OUTPUT_PLUGIN = C.FLB_PROXY_OUTPUT_PLUGIN
	FLB_PROXY_GOLANG        = C.FLB_PROXY_GOLANG
)

type FLBPluginProxyDef C.struct_flb_plugin_proxy_def
type FLBOutPlugin C.struct_flbgo_output_plugin

// FLBPluginRegister fills the host's registration definition.
func FLBPluginRegister(def unsafe.Pointer, name, desc string) int {
	p := (*FLBPluginProxyDef)(def)
	p._type = FLB_PROXY_OUTPUT_PLUGIN
	p.proxy = FLB_PROXY_GOLANG
	p.flags = 0
	p.name = C.CString(name)
	p.description = C.CString(desc)
	return 0
}

// FLBPluginUnregister frees what FLBPluginRegister allocated.
func FLBPluginUnregister(def unsafe.Pointer) {
	p := (*FLBPluginProxyDef)(def)
	C.free(unsafe.Pointer(p.name))
	C.free(unsafe.Pointer(p.description))
	p.name = nil
	p.description = nil
}

// FLBPluginConfigKey reads an instance property through the host's callback ("" when unset).
func FLBPluginConfigKey(plugin unsafe.Pointer, key string) string {
	k := C.CString(key)
	defer C.free(unsafe.Pointer(k))
	return C.GoString(C.output_get_property(k, plugin))
}

var contexts sync.Map

// FLBPluginSetContext keeps ctx for this instance: a fresh C allocation is the key, stored in
// the instance's proxy context, which the host passes back to FlushCtx and ExitCtx.
func FLBPluginSetContext(plugin unsafe.Pointer, ctx interface{}) {
	key := unsafe.Pointer(C.CString(""))
	contexts.Store(uintptr(key), ctx)
	p := (*FLBOutPlugin)(plugin)
	p.context.remote_context = key
}

// FLBPluginGetContext returns what FLBPluginSetContext stored for this proxy context.
func FLBPluginGetContext(proxyCtx unsafe.Pointer) interface{} {
	v, _ := contexts.Load(uintptr(proxyCtx))
	return v
}

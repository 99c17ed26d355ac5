// A Go output plugin in the style of fluent-bit-go's out_multiinstance example: every instance
// keeps its own context (its id and output file), and writes what each flush saw, so a test
// can tell which records reached which instance.
//
// Properties: id (required; init fails without it), path (the file to append to), retry_first
// (how many flushes answer FLB_RETRY before delivering), mode (benchmarks: "noop" answers
// FLB_OK at once, "decode" decodes every record and writes nothing).
package main

import (
	"C"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/fluent/fluent-bit-go/output"
)

type instance struct {
	id      string
	path    string
	mu      sync.Mutex
	retries int
	mode    string
}

func (in *instance) write(lines []string) {
	if in.path == "" {
		return
	}
	f, err := os.OpenFile(in.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		log.Printf("[multiinstance] %s: %v", in.id, err)
		return
	}
	defer f.Close()
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
}

//export FLBPluginRegister
func FLBPluginRegister(def unsafe.Pointer) int {
	return output.FLBPluginRegister(def, "multiinstance", "Testing multiple instances")
}

//export FLBPluginInit
func FLBPluginInit(plugin unsafe.Pointer) int {
	id := output.FLBPluginConfigKey(plugin, "id")
	if id == "" {
		log.Printf("[multiinstance] no id configured")
		return output.FLB_ERROR
	}
	in := &instance{id: id, path: output.FLBPluginConfigKey(plugin, "path"), mode: output.FLBPluginConfigKey(plugin, "mode")}
	fmt.Sscanf(output.FLBPluginConfigKey(plugin, "retry_first"), "%d", &in.retries)
	log.Printf("[multiinstance] id = %q", id)
	output.FLBPluginSetContext(plugin, in)
	in.write([]string{"init id=" + id})
	return output.FLB_OK
}

func timestamp(ts interface{}) string {
	switch t := ts.(type) {
	case output.FLBTime:
		return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
	default:
		return fmt.Sprintf("%v", t)
	}
}

func format(rec map[interface{}]interface{}) string {
	parts := make([]string, 0, len(rec))
	for k, v := range rec {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		parts = append(parts, fmt.Sprintf("%v=%v", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

//export FLBPluginFlushCtx
func FLBPluginFlushCtx(ctx, data unsafe.Pointer, length C.int, tag *C.char) int {
	in, ok := output.FLBPluginGetContext(ctx).(*instance)
	if !ok {
		log.Printf("[multiinstance] flush without a context")
		return output.FLB_ERROR
	}
	switch in.mode {
	case "noop":
		return output.FLB_OK
	case "decode":
		dec := output.NewDecoder(data, int(length))
		for {
			if ret, _, _ := output.GetRecord(dec); ret != 0 {
				return output.FLB_OK
			}
		}
	}
	t := C.GoString(tag)
	var records []string
	dec := output.NewDecoder(data, int(length))
	for {
		ret, ts, rec := output.GetRecord(dec)
		if ret != 0 {
			break
		}
		records = append(records, fmt.Sprintf("record id=%s tag=%s ts=%s %s", in.id, t, timestamp(ts), format(rec)))
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.retries > 0 {
		in.retries--
		in.write([]string{fmt.Sprintf("flush id=%s tag=%s records=%d rc=RETRY", in.id, t, len(records))})
		return output.FLB_RETRY
	}
	in.write(append(records, fmt.Sprintf("flush id=%s tag=%s records=%d rc=OK", in.id, t, len(records))))
	return output.FLB_OK
}

//export FLBPluginExitCtx
func FLBPluginExitCtx(ctx unsafe.Pointer) int {
	if in, ok := output.FLBPluginGetContext(ctx).(*instance); ok {
		in.write([]string{"exit id=" + in.id})
	}
	return output.FLB_OK
}

//export FLBPluginUnregister
func FLBPluginUnregister(def unsafe.Pointer) {
	output.FLBPluginUnregister(def)
}

func main() {}

package dev.sluice.plugins.external;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C structures Fluent Bit shares with proxy (Go) output plugins, as the FFM API sees them,
 * and the {@code struct flb_api} callback table whose {@code output_get_property} fluent-bit-go's
 * {@code FLBPluginConfigKey} calls.
 *
 * <p>Layouts (LP64: {@code int} 4 bytes, pointers 8):
 * <pre>
 * struct flb_plugin_proxy_def {          // filled by FLBPluginRegister(def)
 *     int type;              // 0   FLB_PROXY_OUTPUT_PLUGIN = 2 (input = 1, custom = 3)
 *     int proxy;             // 4   FLB_PROXY_GOLANG = 11
 *     int flags;             // 8
 *     char *name;            // 16
 *     char *description;     // 24
 *     int event_type;        // 32  newer fluent-bit-go (logs 1, metrics 2, traces 4)
 *     void *config_map;      // 40  newer fluent-bit-go
 * };
 * struct flb_api {                       // one table, shared by every instance
 *     char *(*output_get_property)(char *key, void *o_ins);    // 0
 *     char *(*input_get_property)(char *key, void *i_ins);     // 8
 *     void *(*output_get_cmt_instance)(void *o_ins);           // 16
 *     void *(*input_get_cmt_instance)(void *i_ins);            // 24
 *     void  (*log_print)(int, const char *, int, const char *, ...);  // 32
 *     int   (*input_log_check)(void *i_ins, int level);        // 40
 *     int   (*output_log_check)(void *o_ins, int level);       // 48
 * };
 * struct flb_plugin_proxy_context {      // one per instance
 *     void *remote_context;  // 0   set by FLBPluginSetContext, passed to FlushCtx/ExitCtx
 *     void *proxy;           // 8
 * };
 * struct flbgo_output_plugin {           // the "plugin" pointer given to FLBPluginInit
 *     char *name;            // 0   (fluent-bit-go sees an opaque pointer)
 *     struct flb_api *api;   // 8
 *     void *o_ins;           // 16  passed back to output_get_property
 *     struct flb_plugin_proxy_context *context;  // 24
 *     ...                    //     Fluent Bit's own callbacks follow; plugins never read them
 * };
 * </pre>
 */
final class FlbProxyAbi {

	private static final Logger LOG = LoggerFactory.getLogger(FlbProxyAbi.class);

	static final int FLB_PROXY_INPUT_PLUGIN = 1;

	static final int FLB_PROXY_OUTPUT_PLUGIN = 2;

	static final int FLB_PROXY_CUSTOM_PLUGIN = 3;

	static final int FLB_PROXY_GOLANG = 11;

	static final StructLayout PROXY_DEF = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("type"),
			ValueLayout.JAVA_INT.withName("proxy"), ValueLayout.JAVA_INT.withName("flags"),
			MemoryLayout.paddingLayout(4), ValueLayout.ADDRESS.withName("name"),
			ValueLayout.ADDRESS.withName("description"), ValueLayout.JAVA_INT.withName("event_type"),
			MemoryLayout.paddingLayout(4), ValueLayout.ADDRESS.withName("config_map"));

	static final StructLayout API = MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("output_get_property"),
			ValueLayout.ADDRESS.withName("input_get_property"), ValueLayout.ADDRESS.withName("output_get_cmt_instance"),
			ValueLayout.ADDRESS.withName("input_get_cmt_instance"), ValueLayout.ADDRESS.withName("log_print"),
			ValueLayout.ADDRESS.withName("input_log_check"), ValueLayout.ADDRESS.withName("output_log_check"));

	static final StructLayout PROXY_CONTEXT = MemoryLayout.structLayout(
			ValueLayout.ADDRESS.withName("remote_context"), ValueLayout.ADDRESS.withName("proxy"));

	static final StructLayout OUTPUT_PLUGIN = MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("name"),
			ValueLayout.ADDRESS.withName("api"), ValueLayout.ADDRESS.withName("o_ins"),
			ValueLayout.ADDRESS.withName("context"),
			// room for Fluent Bit's own callback pointers, so a plugin that reads past the four
			// documented fields still reads zeroed memory of ours
			MemoryLayout.sequenceLayout(8, ValueLayout.ADDRESS).withName("reserved"));

	static final VarHandle DEF_TYPE = PROXY_DEF.varHandle(MemoryLayout.PathElement.groupElement("type"));

	static final VarHandle DEF_PROXY = PROXY_DEF.varHandle(MemoryLayout.PathElement.groupElement("proxy"));

	static final VarHandle DEF_FLAGS = PROXY_DEF.varHandle(MemoryLayout.PathElement.groupElement("flags"));

	static final VarHandle DEF_NAME = PROXY_DEF.varHandle(MemoryLayout.PathElement.groupElement("name"));

	static final VarHandle DEF_DESCRIPTION = PROXY_DEF
		.varHandle(MemoryLayout.PathElement.groupElement("description"));

	static final VarHandle DEF_EVENT_TYPE = PROXY_DEF.varHandle(MemoryLayout.PathElement.groupElement("event_type"));

	static final VarHandle PLUGIN_NAME = OUTPUT_PLUGIN.varHandle(MemoryLayout.PathElement.groupElement("name"));

	static final VarHandle PLUGIN_API = OUTPUT_PLUGIN.varHandle(MemoryLayout.PathElement.groupElement("api"));

	static final VarHandle PLUGIN_O_INS = OUTPUT_PLUGIN.varHandle(MemoryLayout.PathElement.groupElement("o_ins"));

	static final VarHandle PLUGIN_CONTEXT = OUTPUT_PLUGIN
		.varHandle(MemoryLayout.PathElement.groupElement("context"));

	static final VarHandle CONTEXT_REMOTE = PROXY_CONTEXT
		.varHandle(MemoryLayout.PathElement.groupElement("remote_context"));

	/** Registration and lifecycle signatures (Go's exported {@code int} is read as C int). */
	static final FunctionDescriptor REGISTER = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

	static final FunctionDescriptor UNREGISTER = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);

	static final FunctionDescriptor INIT = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

	/** {@code int FLBPluginFlush(void *data, size_t length, char *tag)}. */
	static final FunctionDescriptor FLUSH = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
			ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);

	/** {@code int FLBPluginFlushCtx(void *ctx, void *data, size_t length, char *tag)}. */
	static final FunctionDescriptor FLUSH_CTX = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
			ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);

	static final FunctionDescriptor EXIT = FunctionDescriptor.of(ValueLayout.JAVA_INT);

	static final FunctionDescriptor EXIT_CTX = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

	/** What {@code output_get_property} answers to: the instance behind each {@code o_ins} token. */
	private static final Map<Long, PropertySource> INSTANCES = new ConcurrentHashMap<>();

	private static final AtomicLong SEQ = new AtomicLong();

	/** The shared {@code struct flb_api}, allocated once for the life of the process. */
	private static volatile MemorySegment api;

	private FlbProxyAbi() {
	}

	/** An instance as {@code output_get_property} sees it. */
	interface PropertySource {

		/** The property's value as a native C string that stays valid, or NULL when unset. */
		MemorySegment nativeProperty(String key);
	}

	/** The callback table, made on first use. */
	static MemorySegment api() {
		MemorySegment a = api;
		if (a == null) {
			synchronized (FlbProxyAbi.class) {
				a = api;
				if (a == null) {
					a = makeApi();
					api = a;
				}
			}
		}
		return a;
	}

	private static MemorySegment makeApi() {
		try {
			Linker linker = Linker.nativeLinker();
			Arena global = Arena.global();
			MethodHandle getProperty = MethodHandles.lookup()
				.findStatic(FlbProxyAbi.class, "outputGetProperty",
						MethodType.methodType(MemorySegment.class, MemorySegment.class, MemorySegment.class));
			MethodHandle logCheck = MethodHandles.lookup()
				.findStatic(FlbProxyAbi.class, "outputLogCheck",
						MethodType.methodType(int.class, MemorySegment.class, int.class));
			MethodHandle cmt = MethodHandles.lookup()
				.findStatic(FlbProxyAbi.class, "outputGetCmtInstance",
						MethodType.methodType(MemorySegment.class, MemorySegment.class));
			MemorySegment getPropertyStub = linker.upcallStub(getProperty,
					FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS), global);
			MemorySegment logCheckStub = linker.upcallStub(logCheck,
					FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), global);
			MemorySegment cmtStub = linker.upcallStub(cmt,
					FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS), global);
			MemorySegment a = global.allocate(API);
			a.fill((byte) 0);
			a.set(ValueLayout.ADDRESS, API.byteOffset(MemoryLayout.PathElement.groupElement("output_get_property")),
					getPropertyStub);
			a.set(ValueLayout.ADDRESS,
					API.byteOffset(MemoryLayout.PathElement.groupElement("output_get_cmt_instance")), cmtStub);
			a.set(ValueLayout.ADDRESS, API.byteOffset(MemoryLayout.PathElement.groupElement("output_log_check")),
					logCheckStub);
			// log_print is variadic: an upcall cannot implement it, so it stays NULL and
			// output_log_check answers "do not log" for every level
			return a;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Makes a fresh {@code o_ins} token (a small native block whose address is the key). */
	static MemorySegment newInstanceToken(Arena arena, PropertySource source) {
		MemorySegment token = arena.allocate(ValueLayout.JAVA_LONG);
		token.set(ValueLayout.JAVA_LONG, 0, SEQ.incrementAndGet());
		INSTANCES.put(token.address(), source);
		return token;
	}

	static void forgetInstanceToken(MemorySegment token) {
		INSTANCES.remove(token.address());
	}

	/** {@code char *output_get_property(char *key, void *o_ins)}: never throws into native code. */
	static MemorySegment outputGetProperty(MemorySegment key, MemorySegment oIns) {
		try {
			if (key.equals(MemorySegment.NULL) || oIns.equals(MemorySegment.NULL)) {
				return MemorySegment.NULL;
			}
			PropertySource s = INSTANCES.get(oIns.address());
			if (s == null) {
				return MemorySegment.NULL;
			}
			String k = key.reinterpret(Long.MAX_VALUE).getString(0);
			return s.nativeProperty(k);
		}
		catch (Throwable ex) {
			LOG.error("output_get_property failed: {}", ex.toString());
			return MemorySegment.NULL;
		}
	}

	/** {@code int output_log_check(void *o_ins, int level)}: plugins may not log through us. */
	static int outputLogCheck(MemorySegment oIns, int level) {
		return 0;
	}

	/** {@code void *output_get_cmt_instance(void *o_ins)}: no cmetrics context to share. */
	static MemorySegment outputGetCmtInstance(MemorySegment oIns) {
		return MemorySegment.NULL;
	}

	/** Reads a NUL-terminated string a plugin wrote, or null. */
	static String string(MemorySegment p) {
		if (p == null || p.equals(MemorySegment.NULL)) {
			return null;
		}
		return p.reinterpret(Long.MAX_VALUE).getString(0);
	}
}

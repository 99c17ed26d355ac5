/* Fluent Bit proxy registration ABI, as seen by an output plugin (test stand-in). */
#ifndef FLBGO_PLUGIN_H
#define FLBGO_PLUGIN_H

#define FLB_ERROR   0
#define FLB_OK      1
#define FLB_RETRY   2

#define FLB_PROXY_OUTPUT_PLUGIN    2
#define FLB_PROXY_GOLANG          11

/* filled by FLBPluginRegister(def) */
struct flb_plugin_proxy_def {
    int type;
    int proxy;
    int flags;
    char *name;
    char *description;
    int event_type;
    void *config_map;
};

#endif

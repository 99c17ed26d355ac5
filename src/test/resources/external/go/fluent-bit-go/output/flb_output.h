/* The instance pointer FLBPluginInit receives and the callback table (test stand-in). */
#ifndef FLBGO_OUTPUT_H
#define FLBGO_OUTPUT_H

struct flb_api {
    char *(*output_get_property) (char *, void *);
};

struct flb_plugin_proxy_context {
    void *remote_context;
};

struct flbgo_output_plugin {
    void *_;
    struct flb_api *api;
    void *o_ins;
    struct flb_plugin_proxy_context *context;
};

static inline char *output_get_property(char *key, void *plugin)
{
    struct flbgo_output_plugin *p = plugin;
    return p->api->output_get_property(key, p->o_ins);
}

#endif

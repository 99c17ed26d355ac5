/*
 * A C output plugin exporting fluent-bit-go's symbols, for Sluice's external plugin tests.
 * Written against the documented proxy ABI (struct flb_plugin_proxy_def, flbgo_output_plugin,
 * flb_api.output_get_property).
 *
 * Properties: path (required: a log of what happened), retry_first (flushes to answer RETRY
 * first), fail_init (any value: FLBPluginInit returns 0). Each flush appends the raw msgpack
 * bytes to <path>.bin and a line "flush id=<id> tag=<tag> bytes=<n> rc=<rc>" to <path>.
 *
 * -DNO_CTX builds the single-context variant: FLBPluginFlush and FLBPluginExit only.
 * -DNOOP builds a plugin that does nothing in flush (for the benchmark).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "cfile"
#endif

struct flb_plugin_proxy_def {
    int type;
    int proxy;
    int flags;
    char *name;
    char *description;
    int event_type;
    void *config_map;
};

struct flb_api {
    char *(*output_get_property)(char *, void *);
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

struct instance {
    char id[128];
    char path[1024];
    int retry_first;
};

static char *prop(void *plugin, const char *key)
{
    struct flbgo_output_plugin *p = plugin;
    return p->api->output_get_property((char *) key, p->o_ins);
}

static void logline(struct instance *in, const char *line)
{
    FILE *f = fopen(in->path, "a");
    if (f) {
        fputs(line, f);
        fputc('\n', f);
        fclose(f);
    }
}

#ifdef NO_CTX
static struct instance *single;
#endif

int FLBPluginRegister(void *def)
{
    struct flb_plugin_proxy_def *d = def;
    d->type = 2;
    d->proxy = 11;
    d->flags = 0;
    d->name = strdup(PLUGIN_NAME);
    d->description = strdup("C test output");
    return 0;
}

int FLBPluginInit(void *plugin)
{
    char line[1400];
    char *v;
    struct instance *in;
    struct flbgo_output_plugin *p = plugin;

    if (prop(plugin, "fail_init") != NULL) {
        return 0;
    }
    in = calloc(1, sizeof(*in));
    v = prop(plugin, "id");
    snprintf(in->id, sizeof(in->id), "%s", v ? v : "-");
    v = prop(plugin, "path");
#ifndef NOOP
    if (v == NULL) {
        free(in);
        return -1;
    }
#endif
    snprintf(in->path, sizeof(in->path), "%s", v ? v : "");
    v = prop(plugin, "retry_first");
    in->retry_first = v ? atoi(v) : 0;
    /* an unset key answers NULL, as Fluent Bit's flb_output_get_property */
    v = prop(plugin, "no_such_key");
#ifdef NO_CTX
    single = in;
#else
    p->context->remote_context = in;
#endif
    if (in->path[0]) {
        snprintf(line, sizeof(line), "init id=%s unset=%s", in->id, v == NULL ? "null" : v);
        logline(in, line);
    }
    return 1;
}

static int do_flush(struct instance *in, const void *data, size_t size, const char *tag)
{
#ifdef NOOP
    (void) in; (void) data; (void) size; (void) tag;
    return 1;
#else
    char line[1400];
    char bin[1100];
    int rc = 1;
    FILE *f;

    if (in->retry_first > 0) {
        in->retry_first--;
        rc = 2;
    }
    else {
        snprintf(bin, sizeof(bin), "%s.bin", in->path);
        f = fopen(bin, "ab");
        if (f) {
            fwrite(data, 1, size, f);
            fclose(f);
        }
    }
    snprintf(line, sizeof(line), "flush id=%s tag=%s bytes=%zu rc=%d", in->id, tag, size, rc);
    logline(in, line);
    return rc;
#endif
}

#ifdef NO_CTX
int FLBPluginFlush(void *data, size_t size, char *tag)
{
    return do_flush(single, data, size, tag);
}

int FLBPluginExit(void)
{
    if (single->path[0]) {
        logline(single, "exit (no context)");
    }
    return 1;
}
#else
int FLBPluginFlushCtx(void *ctx, void *data, size_t size, char *tag)
{
    return do_flush(ctx, data, size, tag);
}

int FLBPluginExitCtx(void *ctx)
{
    char line[200];
    struct instance *in = ctx;
    if (in->path[0]) {
        snprintf(line, sizeof(line), "exit id=%s", in->id);
        logline(in, line);
    }
    free(in);
    return 1;
}
#endif

void FLBPluginUnregister(void *def)
{
    struct flb_plugin_proxy_def *d = def;
    free(d->name);
    free(d->description);
    d->name = NULL;
    d->description = NULL;
}

// A minimal stand-in for github.com/fluent/fluent-bit-go, written for Sluice's tests from the
// documented proxy ABI (the real module cannot be fetched in the build sandbox). It offers the
// output package API plugins use: FLBPluginRegister, FLBPluginUnregister, FLBPluginConfigKey,
// FLBPluginSetContext/GetContext, NewDecoder/GetRecord and the FLB_* return codes.
module github.com/fluent/fluent-bit-go

go 1.19

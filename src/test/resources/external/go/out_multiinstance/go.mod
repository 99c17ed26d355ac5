module example.com/out_multiinstance

go 1.19

require github.com/fluent/fluent-bit-go v0.0.0

replace github.com/fluent/fluent-bit-go => ../fluent-bit-go

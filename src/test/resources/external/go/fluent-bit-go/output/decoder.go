package output

import "C"

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
	"unsafe"
)

// FLBTime is an EventTime (msgpack extension type 0: seconds and nanoseconds, big endian).
type FLBTime struct {
	time.Time
}

// FLBDecoder walks the msgpack events of one flush.
type FLBDecoder struct {
	buf []byte
	pos int
}

var errShort = errors.New("msgpack: truncated")

// NewDecoder copies the flushed bytes so they outlive the call.
func NewDecoder(data unsafe.Pointer, length int) *FLBDecoder {
	return &FLBDecoder{buf: C.GoBytes(data, C.int(length))}
}

// GetRecord decodes the next event: ret 0 and its timestamp and record, or ret -1 at the end
// (or on bad data). Accepts [ts, record] and the v2 shape [[ts, metadata], record].
func GetRecord(dec *FLBDecoder) (ret int, ts interface{}, rec map[interface{}]interface{}) {
	if dec.pos >= len(dec.buf) {
		return -1, 0, nil
	}
	v, err := dec.value()
	if err != nil {
		return -2, 0, nil
	}
	event, ok := v.([]interface{})
	if !ok || len(event) != 2 {
		return -2, 0, nil
	}
	ts = event[0]
	if header, ok := ts.([]interface{}); ok && len(header) > 0 {
		ts = header[0]
	}
	rec, ok = event[1].(map[interface{}]interface{})
	if !ok {
		return -2, 0, nil
	}
	return 0, ts, rec
}

func (d *FLBDecoder) take(n int) ([]byte, error) {
	if n < 0 || d.pos+n > len(d.buf) {
		return nil, errShort
	}
	b := d.buf[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *FLBDecoder) uint(n int) (uint64, error) {
	b, err := d.take(n)
	if err != nil {
		return 0, err
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v, nil
}

func (d *FLBDecoder) value() (interface{}, error) {
	b, err := d.take(1)
	if err != nil {
		return nil, err
	}
	t := b[0]
	switch {
	case t <= 0x7f:
		return uint64(t), nil
	case t >= 0xe0:
		return int64(int8(t)), nil
	case t >= 0x80 && t <= 0x8f:
		return d.mapOf(int(t & 0x0f))
	case t >= 0x90 && t <= 0x9f:
		return d.arrayOf(int(t & 0x0f))
	case t >= 0xa0 && t <= 0xbf:
		return d.bytes(int(t & 0x1f))
	}
	switch t {
	case 0xc0:
		return nil, nil
	case 0xc2:
		return false, nil
	case 0xc3:
		return true, nil
	case 0xc4, 0xd9:
		n, err := d.uint(1)
		if err != nil {
			return nil, err
		}
		return d.bytes(int(n))
	case 0xc5, 0xda:
		n, err := d.uint(2)
		if err != nil {
			return nil, err
		}
		return d.bytes(int(n))
	case 0xc6, 0xdb:
		n, err := d.uint(4)
		if err != nil {
			return nil, err
		}
		return d.bytes(int(n))
	case 0xc7, 0xc8, 0xc9:
		size := map[byte]int{0xc7: 1, 0xc8: 2, 0xc9: 4}[t]
		n, err := d.uint(size)
		if err != nil {
			return nil, err
		}
		return d.ext(int(n))
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		return d.ext(1 << (t - 0xd4))
	case 0xca:
		n, err := d.uint(4)
		return float64(math.Float32frombits(uint32(n))), err
	case 0xcb:
		n, err := d.uint(8)
		return math.Float64frombits(n), err
	case 0xcc, 0xcd, 0xce, 0xcf:
		return d.uint(1 << (t - 0xcc))
	case 0xd0:
		n, err := d.uint(1)
		return int64(int8(n)), err
	case 0xd1:
		n, err := d.uint(2)
		return int64(int16(n)), err
	case 0xd2:
		n, err := d.uint(4)
		return int64(int32(n)), err
	case 0xd3:
		n, err := d.uint(8)
		return int64(n), err
	case 0xdc:
		n, err := d.uint(2)
		if err != nil {
			return nil, err
		}
		return d.arrayOf(int(n))
	case 0xdd:
		n, err := d.uint(4)
		if err != nil {
			return nil, err
		}
		return d.arrayOf(int(n))
	case 0xde:
		n, err := d.uint(2)
		if err != nil {
			return nil, err
		}
		return d.mapOf(int(n))
	case 0xdf:
		n, err := d.uint(4)
		if err != nil {
			return nil, err
		}
		return d.mapOf(int(n))
	}
	return nil, errors.New("msgpack: unknown type")
}

// bytes returns strings and binaries as []byte, as fluent-bit-go's decoder does.
func (d *FLBDecoder) bytes(n int) (interface{}, error) {
	b, err := d.take(n)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	copy(out, b)
	return out, nil
}

func (d *FLBDecoder) ext(n int) (interface{}, error) {
	tb, err := d.take(1)
	if err != nil {
		return nil, err
	}
	b, err := d.take(n)
	if err != nil {
		return nil, err
	}
	if int8(tb[0]) == 0 && n == 8 {
		sec := binary.BigEndian.Uint32(b[0:4])
		nsec := binary.BigEndian.Uint32(b[4:8])
		return FLBTime{time.Unix(int64(sec), int64(nsec))}, nil
	}
	out := make([]byte, n)
	copy(out, b)
	return out, nil
}

func (d *FLBDecoder) arrayOf(n int) (interface{}, error) {
	out := make([]interface{}, 0, n)
	for i := 0; i < n; i++ {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// mapOf keys string and binary keys by Go string (a []byte cannot be a map key).
func (d *FLBDecoder) mapOf(n int) (interface{}, error) {
	out := make(map[interface{}]interface{}, n)
	for i := 0; i < n; i++ {
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		if kb, ok := k.([]byte); ok {
			k = string(kb)
		}
		out[k] = v
	}
	return out, nil
}

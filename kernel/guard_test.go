package kernel

import (
	"bytes"
	"net"
	"testing"
	"time"
)

func zmtpStream(frames ...[]byte) []byte {
	b := make([]byte, zmtpGreetingLen)
	for _, f := range frames {
		b = append(b, f...)
	}
	return b
}

func TestGuardScan(t *testing.T) {
	short := func(flags byte, body string) []byte { return append([]byte{flags, byte(len(body))}, body...) }
	long := func(flags byte, size uint64) []byte {
		h := []byte{flags | 0x02, 0, 0, 0, 0, 0, 0, 0, 0}
		for i := 0; i < 8; i++ {
			h[8-i] = byte(size >> (8 * i))
		}
		return h
	}
	tests := []struct {
		name      string
		stream    []byte
		tooLarge  bool
		handshook bool
	}{
		{"greeting only", zmtpStream(), false, false},
		{"ready then message", zmtpStream(short(0x04, "READY"), short(0x01, "a"), short(0x00, "bc")), false, true},
		{"empty command frame", zmtpStream(short(0x04, "")), false, true},
		{"message frames don't end the handshake", zmtpStream(short(0x00, "x")), false, false},
		{"long frame at the limit", zmtpStream(short(0x04, "READY"), append(long(0x00, 100), bytes.Repeat([]byte("z"), 100)...)), false, true},
		{"long frame over the limit", zmtpStream(short(0x04, "READY"), long(0x00, 101)), true, true},
		{"terabyte command", zmtpStream(long(0x04, 1<<40)), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Feed in every chunking: one byte at a time and all at once agree.
			for _, chunk := range []int{1, 3, len(tt.stream)} {
				c := &guardConn{max: 100, greet: zmtpGreetingLen, Conn: nopConn{}}
				var err error
				for i := 0; i < len(tt.stream) && err == nil; i += chunk {
					err = c.scan(tt.stream[i:min(i+chunk, len(tt.stream))])
				}
				if (err != nil) != tt.tooLarge {
					t.Errorf("chunk %d: err = %v, want too large %v", chunk, err, tt.tooLarge)
				}
				if c.handshook != tt.handshook {
					t.Errorf("chunk %d: handshook = %v", chunk, c.handshook)
				}
			}
		})
	}
}

func FuzzGuardScan(f *testing.F) {
	f.Add(zmtpStream([]byte{0x04, 5, 'R', 'E', 'A', 'D', 'Y'}, []byte{0x02, 0, 0, 0, 0, 0, 0, 1, 0}), 7)
	f.Fuzz(func(t *testing.T, stream []byte, split int) {
		whole := &guardConn{max: 200, greet: zmtpGreetingLen, Conn: nopConn{}}
		errWhole := whole.scan(stream)
		if split < 0 || split > len(stream) {
			return
		}
		parts := &guardConn{max: 200, greet: zmtpGreetingLen, Conn: nopConn{}}
		err := parts.scan(stream[:split])
		if err == nil {
			err = parts.scan(stream[split:])
		}
		if (err == nil) != (errWhole == nil) {
			t.Fatalf("chunking changed the verdict: whole %v, split %v", errWhole, err)
		}
	})
}

// nopConn is a net.Conn whose deadline calls do nothing (scan clears the deadline).
type nopConn struct{ net.Conn }

func (nopConn) SetReadDeadline(time.Time) error { return nil }

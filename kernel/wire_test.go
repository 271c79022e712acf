package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func testFrames(t testing.TB, s *Signer, msgType string) [][]byte {
	t.Helper()
	h := newHeader(msgType, "client-session")
	frames, err := Encode([][]byte{[]byte("peer")}, h, json.RawMessage(`{"msg_id":"p","x":[1,2]}`), map[string]any{"m": 1}, map[string]any{"code": "print 1"}, s)
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, scheme := range []string{"hmac-sha256", "hmac-sha1", "hmac-md5", "hmac-sha512", "hmac-sha3_256", ""} {
		for _, key := range []string{"secret", ""} {
			s, err := NewSigner(scheme, key)
			if err != nil {
				t.Fatalf("%s: %v", scheme, err)
			}
			frames := testFrames(t, s, "execute_request")
			m, err := Decode(frames, s, 0)
			if err != nil {
				t.Fatalf("%s key=%q: %v", scheme, key, err)
			}
			if m.Header.MsgType != "execute_request" || m.Header.Version != ProtocolVersion {
				t.Errorf("header = %+v", m.Header)
			}
			if string(m.ParentHeader) != `{"msg_id":"p","x":[1,2]}` {
				t.Errorf("parent header changed: %s", m.ParentHeader)
			}
			if len(m.Identities) != 1 || string(m.Identities[0]) != "peer" {
				t.Errorf("identities = %q", m.Identities)
			}
			if key == "" && len(frames[2]) != 0 {
				t.Errorf("unsigned message has signature %q", frames[2])
			}
		}
	}
}

func TestNewSignerRejectsUnknownScheme(t *testing.T) {
	for _, scheme := range []string{"sha256", "hmac-whirlpool", "hmac-"} {
		if _, err := NewSigner(scheme, "k"); err == nil {
			t.Errorf("NewSigner(%q) accepted", scheme)
		}
	}
}

func TestDecodeBadInput(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", "secret")
	good := testFrames(t, s, "kernel_info_request")
	mutate := func(f func(fr [][]byte) [][]byte) [][]byte {
		c := make([][]byte, len(good))
		for i := range good {
			c[i] = bytes.Clone(good[i])
		}
		return f(c)
	}
	resign := func(fr [][]byte) [][]byte {
		fr[2] = s.sign(fr[3], fr[4], fr[5], fr[6])
		return fr
	}
	tests := []struct {
		name    string
		frames  [][]byte
		maxSize int
		want    error
	}{
		{"missing delimiter", mutate(func(fr [][]byte) [][]byte { fr[1] = []byte("<IDS|MSG"); return fr }), 0, ErrNoDelimiter},
		{"no frames", nil, 0, ErrNoDelimiter},
		{"too few frames", mutate(func(fr [][]byte) [][]byte { return fr[:6] }), 0, ErrTooFewFrames},
		{"bad hex signature", mutate(func(fr [][]byte) [][]byte { fr[2] = []byte("zz"); return fr }), 0, ErrBadSignature},
		{"forged signature", mutate(func(fr [][]byte) [][]byte { fr[6] = []byte(`{"code":"evil"}`); return fr }), 0, ErrForged},
		{"empty signature with key", mutate(func(fr [][]byte) [][]byte { fr[2] = []byte{}; return fr }), 0, ErrForged},
		{"invalid JSON header", mutate(func(fr [][]byte) [][]byte { fr[3] = []byte(`{"msg_type":`); return resign(fr) }), 0, ErrBadHeader},
		{"header without msg_type", mutate(func(fr [][]byte) [][]byte { fr[3] = []byte(`{"msg_id":"x"}`); return resign(fr) }), 0, ErrBadHeader},
		{"header is an array", mutate(func(fr [][]byte) [][]byte { fr[3] = []byte(`[1]`); return resign(fr) }), 0, ErrBadHeader},
		{"invalid JSON content", mutate(func(fr [][]byte) [][]byte { fr[6] = []byte(`{"code":`); return resign(fr) }), 0, ErrNotJSONObjects},
		{"content not an object", mutate(func(fr [][]byte) [][]byte { fr[6] = []byte(`null`); return resign(fr) }), 0, ErrNotJSONObjects},
		{"oversized", good, 64, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.frames, s, tt.maxSize)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestEncodeNilParent(t *testing.T) {
	s, _ := NewSigner("", "")
	frames, err := Encode(nil, newHeader("status", "s"), nil, nil, map[string]string{"execution_state": "idle"}, s)
	if err != nil {
		t.Fatal(err)
	}
	if string(frames[3]) != "{}" || string(frames[4]) != "{}" {
		t.Errorf("parent/metadata = %s %s, want {} {}", frames[3], frames[4])
	}
}

func FuzzDecode(f *testing.F) {
	s, _ := NewSigner("hmac-sha256", "k")
	good := testFrames(f, s, "execute_request")
	join := func(fr [][]byte) []byte { return bytes.Join(fr, []byte{0}) }
	f.Add(join(good))
	f.Add([]byte("<IDS|MSG>"))
	f.Add([]byte{})
	f.Add(join([][]byte{[]byte("<IDS|MSG>"), {}, []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0})
		for _, signer := range []*Signer{s, {newHash: s.newHash}} {
			m, err := Decode(frames, signer, 1<<16)
			if err != nil {
				continue
			}
			if m.Header.MsgType == "" || m.Header.MsgID == "" {
				t.Fatalf("accepted header without msg_type/msg_id: %s", m.RawHeader)
			}
			for _, raw := range []json.RawMessage{m.RawHeader, m.ParentHeader, m.Metadata, m.Content} {
				if !isObject(raw) {
					t.Fatalf("accepted non-object %q", raw)
				}
			}
		}
	})
}

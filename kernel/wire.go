package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
)

// ProtocolVersion is the Jupyter messaging protocol version the kernel speaks. Debian's
// jupyter_kernel_test 0.4.5 validates headers against exactly this string.
const ProtocolVersion = "5.3"

// delimiter separates routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// DefaultMaxMessageSize bounds the bytes of one incoming message (all frames).
const DefaultMaxMessageSize = 64 << 20

// Header is a message header. Parent headers are never decoded into this: they are kept as
// the raw bytes the client sent, so fields we don't know survive the round trip.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message.
type Message struct {
	Identities [][]byte
	Header     Header
	// RawHeader is the header frame as received; it becomes the parent_header of replies.
	RawHeader    json.RawMessage
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte
}

// Wire decoding errors. Each makes the kernel drop the message.
var (
	ErrNoDelimiter    = errors.New("no <IDS|MSG> delimiter")
	ErrTooFewFrames   = errors.New("too few frames after the delimiter (want signature, header, parent_header, metadata, content)")
	ErrBadSignature   = errors.New("signature is not hex")
	ErrForged         = errors.New("signature does not match the connection key")
	ErrTooLarge       = errors.New("message exceeds the size limit")
	ErrBadHeader      = errors.New("header is not a JSON object with msg_id and msg_type")
	ErrNotJSONObjects = errors.New("parent_header, metadata and content must be JSON objects")
)

// Signer signs and verifies messages with the connection's key and scheme. A zero key means
// messages are unsigned (the signature frame is empty and not checked).
type Signer struct {
	key     []byte
	newHash func() hash.Hash
}

// hashes are the hmac-* schemes of hashlib that the Go standard library has.
var hashes = map[string]func() hash.Hash{
	"md5":        md5.New,
	"sha1":       sha1.New,
	"sha224":     sha256.New224,
	"sha256":     sha256.New,
	"sha384":     sha512.New384,
	"sha512":     sha512.New,
	"sha512_224": sha512.New512_224,
	"sha512_256": sha512.New512_256,
	"sha3_224":   func() hash.Hash { return sha3.New224() },
	"sha3_256":   func() hash.Hash { return sha3.New256() },
	"sha3_384":   func() hash.Hash { return sha3.New384() },
	"sha3_512":   func() hash.Hash { return sha3.New512() },
}

// NewSigner returns a Signer for scheme ("hmac-sha256", ...; empty means hmac-sha256, as in
// jupyter_client) and key.
func NewSigner(scheme, key string) (*Signer, error) {
	if scheme == "" {
		scheme = "hmac-sha256"
	}
	name, ok := strings.CutPrefix(scheme, "hmac-")
	h := hashes[name]
	if !ok || h == nil {
		return nil, fmt.Errorf("signature_scheme %q is not supported (use hmac-sha256)", scheme)
	}
	return &Signer{key: []byte(key), newHash: h}, nil
}

func (s *Signer) sign(parts ...[]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	mac := hmac.New(s.newHash, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

func (s *Signer) verify(sig []byte, parts ...[]byte) error {
	if len(s.key) == 0 {
		return nil
	}
	got := make([]byte, hex.DecodedLen(len(sig)))
	if _, err := hex.Decode(got, sig); err != nil {
		return ErrBadSignature
	}
	mac := hmac.New(s.newHash, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	if !hmac.Equal(mac.Sum(nil), got) {
		return ErrForged
	}
	return nil
}

// Decode parses the frames of one message received on a ROUTER socket, verifying its
// signature. maxSize <= 0 means DefaultMaxMessageSize.
func Decode(frames [][]byte, s *Signer, maxSize int) (*Message, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessageSize
	}
	total := 0
	for _, f := range frames {
		total += len(f)
	}
	if total > maxSize {
		return nil, fmt.Errorf("%w (%d > %d bytes)", ErrTooLarge, total, maxSize)
	}
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, ErrNoDelimiter
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: got %d", ErrTooFewFrames, len(rest))
	}
	if err := s.verify(rest[0], rest[1], rest[2], rest[3], rest[4]); err != nil {
		return nil, err
	}
	m := &Message{
		Identities:   frames[:i],
		RawHeader:    json.RawMessage(rest[1]),
		ParentHeader: json.RawMessage(rest[2]),
		Metadata:     json.RawMessage(rest[3]),
		Content:      json.RawMessage(rest[4]),
		Buffers:      rest[5:],
	}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil || !isObject(rest[1]) || m.Header.MsgType == "" || m.Header.MsgID == "" {
		return nil, ErrBadHeader
	}
	for _, p := range rest[2:5] {
		if !isObject(p) {
			return nil, ErrNotJSONObjects
		}
	}
	return m, nil
}

// isObject reports whether b is one valid JSON object.
func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{' && json.Valid(b)
}

// Encode returns the frames of a message: identities, delimiter, signature, header, parent
// header, metadata, content. parent may be nil (encoded as {}); metadata and content are
// marshalled with encoding/json and must not contain nil maps or slices where the protocol
// wants {} or [].
func Encode(idents [][]byte, h Header, parent json.RawMessage, metadata, content any, s *Signer) ([][]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	if len(parent) == 0 {
		parent = json.RawMessage("{}")
	}
	mb := []byte("{}")
	if metadata != nil {
		if mb, err = json.Marshal(metadata); err != nil {
			return nil, fmt.Errorf("encode %s metadata: %w", h.MsgType, err)
		}
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encode %s content: %w", h.MsgType, err)
	}
	frames := make([][]byte, 0, len(idents)+6)
	frames = append(frames, idents...)
	frames = append(frames, delimiter, s.sign(hb, parent, mb, cb), hb, parent, mb, cb)
	if frames[len(idents)+1] == nil {
		frames[len(idents)+1] = []byte{}
	}
	return frames, nil
}

// newHeader makes a header for an outgoing message of this kernel session.
func newHeader(msgType, session string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: "kqlkernel",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
)

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

// imageOf decodes a bundle's PNG.
func imageOf(b Bundle) (image.Image, error) {
	s, ok := b.Data[MIMEPNG].(string)
	if !ok {
		return nil, fmt.Errorf("bundle has no image/png")
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return png.Decode(bytes.NewReader(raw))
}

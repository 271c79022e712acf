package kernelspec

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// The logo, in a 64-unit square: a blue rounded tile with three white bars narrowing
// downwards, a query funnel. The SVG and the PNGs draw the same shapes.
type roundRect struct{ x, y, w, h, r float64 }

var (
	logoTile = roundRect{0, 0, 64, 64, 12}
	logoBars = []roundRect{{12, 15, 40, 8, 4}, {18, 28, 28, 8, 4}, {24, 41, 16, 8, 4}}
	logoBlue = color.NRGBA{0x1f, 0x5f, 0xa8, 0xff}
)

const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <title>KQL</title>
  <rect x="0" y="0" width="64" height="64" rx="12" fill="#1f5fa8"/>
  <rect x="12" y="15" width="40" height="8" rx="4" fill="#ffffff"/>
  <rect x="18" y="28" width="28" height="8" rx="4" fill="#ffffff"/>
  <rect x="24" y="41" width="16" height="8" rx="4" fill="#ffffff"/>
</svg>
`

func (r roundRect) contains(x, y float64) bool {
	if x < r.x || y < r.y || x > r.x+r.w || y > r.y+r.h {
		return false
	}
	// Distance to the nearest corner centre, for points in a corner square.
	cx := min(max(x, r.x+r.r), r.x+r.w-r.r)
	cy := min(max(y, r.y+r.r), r.y+r.h-r.r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r.r*r.r
}

// logoPNG renders the logo at size x size pixels, 4x4 supersampled.
func logoPNG(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	scale := 64 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var tile, bar int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) * scale
					y := (float64(py) + (float64(sy)+0.5)/ss) * scale
					if !logoTile.contains(x, y) {
						continue
					}
					tile++
					for _, b := range logoBars {
						if b.contains(x, y) {
							bar++
							break
						}
					}
				}
			}
			if tile == 0 {
				continue
			}
			// White over blue by bar coverage; alpha by tile coverage.
			f := float64(bar) / float64(tile)
			mix := func(c uint8) uint8 { return uint8(float64(c)*(1-f) + 255*f + 0.5) }
			img.SetNRGBA(px, py, color.NRGBA{mix(logoBlue.R), mix(logoBlue.G), mix(logoBlue.B), uint8(255 * tile / (ss * ss))})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // encoding to memory cannot fail
	return buf.Bytes()
}

// kernelJS gives the classic Notebook KQL highlighting (JupyterLab uses its own modes and
// falls back to plain text).
const kernelJS = `define(["codemirror/lib/codemirror"], function (CodeMirror) {
  "use strict";
  var words = function (s) { var o = {}; s.split(" ").forEach(function (w) { o[w] = true; }); return o; };
  var keywords = words("let set declare pattern query_parameters print datatable range where filter " +
    "project project-away project-keep project-rename project-reorder extend summarize by take limit top " +
    "sort order asc desc nulls first last count distinct join kind on union render mv-expand mv-apply " +
    "parse parse-where evaluate invoke as getschema sample sample-distinct search find make-series " +
    "serialize partition scan lookup externaldata materialize toscalar between and or not in !in has " +
    "!has contains !contains startswith endswith matches regex like with step from to true false null");
  var types = words("bool boolean int long real double decimal string datetime date timespan time guid uniqueid dynamic");
  function onload() {
    if (CodeMirror.modes.kql) { return; }
    CodeMirror.defineMode("kql", function () {
      return {
        startState: function () { return { inString: null }; },
        token: function (stream, state) {
          if (state.inString) {
            while (!stream.eol()) {
              var ch = stream.next();
              if (ch === "\\") { stream.next(); } else if (ch === state.inString) { state.inString = null; break; }
            }
            return "string";
          }
          if (stream.eatSpace()) { return null; }
          if (stream.match("//")) { stream.skipToEnd(); return "comment"; }
          var c = stream.peek();
          if (c === '"' || c === "'") { state.inString = stream.next(); return "string"; }
          if (stream.match(/^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?(d|h|m|s|ms|microsecond|tick)?/)) { return "number"; }
          if (stream.match(/^[A-Za-z_][A-Za-z0-9_\-]*/)) {
            var w = stream.current();
            if (keywords[w]) { return "keyword"; }
            if (types[w]) { return "type"; }
            if (stream.peek() === "(") { return "builtin"; }
            return "variable";
          }
          if (stream.match(/^[|=<>!+\-*\/%.,;:()\[\]{}]/)) { return "operator"; }
          stream.next();
          return null;
        },
        lineComment: "//"
      };
    });
    CodeMirror.defineMIME("text/x-kql", "kql");
  }
  return { onload: onload };
});
`

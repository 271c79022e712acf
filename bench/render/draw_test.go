package renderbench

import (
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func drawCanvas(c *vgimg.Canvas) draw.Canvas { return draw.New(c) }

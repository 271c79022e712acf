package fn

import (
	"math"
	"strconv"
	"strings"

	"github.com/golang/geo/s2"
	"github.com/kqlkernel/kqlkernel/table"
)

// ---- H3 index bit layout (cell mode); geometry is not implemented ----

const (
	h3ResShift    = 52
	h3BaseShift   = 45
	h3ModeShift   = 59
	h3NumBaseCell = 122
)

// h3Parse reads a cell index in hex and validates its header and digits.
func h3Parse(s string) (uint64, int, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil || v>>63 != 0 || (v>>h3ModeShift)&0xf != 1 || (v>>56)&7 != 0 {
		return 0, 0, false
	}
	res := int((v >> h3ResShift) & 0xf)
	if (v>>h3BaseShift)&0x7f >= h3NumBaseCell {
		return 0, 0, false
	}
	for r := 1; r <= 15; r++ {
		d := (v >> uint((15-r)*3)) & 7
		if r <= res && d == 7 {
			return 0, 0, false
		}
		if r > res && d != 7 {
			return 0, 0, false
		}
	}
	return v, res, true
}

func h3Parent(v uint64, res, parent int) uint64 {
	v = v&^(uint64(0xf)<<h3ResShift) | uint64(parent)<<h3ResShift
	for r := parent + 1; r <= res; r++ {
		v |= uint64(7) << uint((15-r)*3)
	}
	return v
}

// ---- polylines on S2 ----

func polylineOf(x any) (*s2.Polyline, bool) {
	lines, ok := linesOf(x)
	if !ok || len(lines) != 1 {
		return nil, false
	}
	pl := s2.Polyline(lines[0])
	return &pl, true
}

func registerGeo2(r *registry) {
	r.fn("geo_h3cell_level", fixed("geo_h3cell_level", 1, 1, table.TypeInt, func(a []any) any {
		_, res, ok := h3Parse(strings.TrimSpace(ToStringValue(a[0])))
		if !ok {
			return nil
		}
		return int64(res)
	}))
	r.fn("geo_h3cell_parent", fixed("geo_h3cell_parent", 1, 2, table.TypeString, func(a []any) any {
		v, res, ok := h3Parse(strings.TrimSpace(ToStringValue(a[0])))
		if !ok {
			return ""
		}
		p := int64(res - 1)
		if len(a) > 1 && a[1] != nil {
			p, ok = toLongV(normDyn(a[1]))
			if !ok {
				return ""
			}
		}
		if p < 0 || p >= int64(res) {
			return ""
		}
		return strconv.FormatUint(h3Parent(v, res, int(p)), 16)
	}))
	r.fn("geo_distance_point_to_line", fixedNull("geo_distance_point_to_line", 3, 3, table.TypeReal, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		lines, ok2 := linesOf(a[2])
		if !ok || !ok2 {
			return nil
		}
		pt := s2Point(lng, lat)
		best := math.Inf(1)
		for _, l := range lines {
			pl := s2.Polyline(l)
			proj, _ := pl.Project(pt)
			best = math.Min(best, angleMeters(pt.Distance(proj)))
		}
		return best
	}))
	r.fn("geo_closest_point_on_line", fixedNull("geo_closest_point_on_line", 3, 3, table.TypeDynamic, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		lines, ok2 := linesOf(a[2])
		if !ok || !ok2 {
			return nil
		}
		pt := s2Point(lng, lat)
		best := math.Inf(1)
		var at s2.Point
		for _, l := range lines {
			pl := s2.Polyline(l)
			proj, _ := pl.Project(pt)
			if d := float64(pt.Distance(proj)); d < best {
				best, at = d, proj
			}
		}
		return pointJSON(at)
	}))
	r.fn("geo_line_centroid", fixedNull("geo_line_centroid", 1, 1, table.TypeDynamic, func(a []any) any {
		lines, ok := linesOf(a[0])
		if !ok {
			return nil
		}
		var c s2.Point
		for _, l := range lines {
			pl := s2.Polyline(l)
			c = s2.Point{Vector: c.Add(pl.Centroid().Vector)}
		}
		if c.Norm() == 0 {
			return nil
		}
		return pointJSON(s2.Point{Vector: c.Normalize()})
	}))
	r.fn("geo_line_interpolate_point", fixedNull("geo_line_interpolate_point", 2, 2, table.TypeDynamic, func(a []any) any {
		pl, ok := polylineOf(a[0])
		f, ok2 := numReal(normDyn(a[1]))
		if !ok || !ok2 || f < 0 || f > 1 {
			return nil
		}
		p, _ := pl.Interpolate(f)
		return pointJSON(p)
	}))
	r.fn("geo_angle", fixedNull("geo_angle", 6, 6, table.TypeReal, func(a []any) any {
		var pts [3]s2.Point
		for i := range pts {
			lng, lat, ok := lngLat(a[2*i], a[2*i+1])
			if !ok {
				return nil
			}
			pts[i] = s2Point(lng, lat)
		}
		if pts[0].ApproxEqual(pts[1]) || pts[2].ApproxEqual(pts[1]) {
			return nil
		}
		// The angle at the middle point, measured clockwise from the first to the third.
		ang := float64(s2.TurnAngle(pts[0], pts[1], pts[2]))
		return math.Pi - ang
	}))
	r.fn("geo_intersects_2lines", fixedNull("geo_intersects_2lines", 2, 2, table.TypeBool, func(a []any) any {
		l1, ok1 := linesOf(a[0])
		l2, ok2 := linesOf(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		for _, x := range l1 {
			for _, y := range l2 {
				for i := 1; i < len(x); i++ {
					for j := 1; j < len(y); j++ {
						if s2.CrossingSign(x[i-1], x[i], y[j-1], y[j]) != s2.DoNotCross {
							return true
						}
					}
				}
			}
		}
		return false
	}))
	r.fn("geo_intersection_2lines", fixedNull("geo_intersection_2lines", 2, 2, table.TypeDynamic, func(a []any) any {
		l1, ok1 := polylineOf(a[0])
		l2, ok2 := polylineOf(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		if len(*l1) == len(*l2) {
			same := true
			for i := range *l1 {
				if !(*l1)[i].ApproxEqual((*l2)[i]) {
					same = false
					break
				}
			}
			if same {
				return lineJSON(*l1)
			}
		}
		var pts []s2.Point
		x, y := *l1, *l2
		for i := 1; i < len(x); i++ {
			for j := 1; j < len(y); j++ {
				if s2.CrossingSign(x[i-1], x[i], y[j-1], y[j]) == s2.DoNotCross {
					continue
				}
				p := s2.Intersection(x[i-1], x[i], y[j-1], y[j])
				dup := false
				for _, q := range pts {
					if q.ApproxEqual(p) {
						dup = true
					}
				}
				if !dup {
					pts = append(pts, p)
				}
			}
		}
		switch len(pts) {
		case 0:
			return map[string]any{"type": "GeometryCollection", "geometries": []any{}}
		case 1:
			return pointJSON(pts[0])
		}
		c := make([]any, len(pts))
		for i, p := range pts {
			ll := s2.LatLngFromPoint(p)
			c[i] = []any{ll.Lng.Degrees(), ll.Lat.Degrees()}
		}
		return map[string]any{"type": "MultiPoint", "coordinates": c}
	}))
}

func registerGeo3(r *registry) {
	r.fn("geo_intersects_2polygons", fixedNull("geo_intersects_2polygons", 2, 2, table.TypeBool, func(a []any) any {
		p1, ok1 := polygonsOf(a[0])
		p2, ok2 := polygonsOf(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		for _, x := range p1 {
			for _, y := range p2 {
				if x.Intersects(y) {
					return true
				}
			}
		}
		return false
	}))
	r.fn("geo_closest_point_on_polygon", fixedNull("geo_closest_point_on_polygon", 3, 3, table.TypeDynamic, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		polys, ok2 := polygonsOf(a[2])
		if !ok || !ok2 {
			return nil
		}
		pt := s2Point(lng, lat)
		best := math.Inf(1)
		var at s2.Point
		for _, p := range polys {
			q := projectOnPolygon(p, pt)
			if d := float64(pt.Distance(q)); d < best {
				best, at = d, q
			}
		}
		return pointJSON(at)
	}))
	r.fn("geo_distance_point_to_polygon", fixedNull("geo_distance_point_to_polygon", 3, 3, table.TypeReal, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		polys, ok2 := polygonsOf(a[2])
		if !ok || !ok2 {
			return nil
		}
		pt := s2Point(lng, lat)
		best := math.Inf(1)
		for _, p := range polys {
			q := projectOnPolygon(p, pt)
			best = math.Min(best, angleMeters(pt.Distance(q)))
		}
		return best
	}))
	r.fn("geo_polygon_perimeter", fixedNull("geo_polygon_perimeter", 1, 1, table.TypeReal, func(a []any) any {
		polys, ok := polygonsOf(a[0])
		if !ok {
			return nil
		}
		var total float64
		for _, p := range polys {
			for _, l := range p.Loops() {
				for i := 0; i < l.NumVertices(); i++ {
					total += angleMeters(l.Vertex(i).Distance(l.Vertex(i + 1)))
				}
			}
		}
		return total
	}))
	r.fn("geo_s2cell_to_central_point", fixed("geo_s2cell_to_central_point", 1, 1, table.TypeDynamic, func(a []any) any {
		id, ok := cellFromToken(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return pointJSON(id.Point())
	}))
}

func lineJSON(pts []s2.Point) map[string]any {
	c := make([]any, len(pts))
	for i, p := range pts {
		ll := s2.LatLngFromPoint(p)
		c[i] = []any{ll.Lng.Degrees(), ll.Lat.Degrees()}
	}
	return map[string]any{"type": "LineString", "coordinates": c}
}

// projectOnPolygon is the closest point of the polygon (the point itself when inside).
func projectOnPolygon(p *s2.Polygon, pt s2.Point) s2.Point {
	if p.ContainsPoint(pt) {
		return pt
	}
	best := math.Inf(1)
	var at s2.Point
	for _, l := range p.Loops() {
		for i := 0; i < l.NumVertices(); i++ {
			q := s2.Project(pt, l.Vertex(i), l.Vertex(i+1))
			if d := float64(pt.Distance(q)); d < best {
				best, at = d, q
			}
		}
	}
	return at
}

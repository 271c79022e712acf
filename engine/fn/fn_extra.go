package fn

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/table"
)

// unit tables: the factor that converts one unit to the base unit (UnitsNet's factors,
// which Kusto's convert_* functions use).
var (
	lengthUnits = map[string]float64{
		"meter": 1, "kilometer": 1e3, "hectometer": 1e2, "decameter": 10, "decimeter": 0.1, "centimeter": 0.01,
		"millimeter": 1e-3, "micrometer": 1e-6, "nanometer": 1e-9, "foot": 0.3048, "inch": 0.0254, "yard": 0.9144,
		"mile": 1609.34, "nauticalmile": 1852, "mil": 2.54e-5, "microinch": 2.54e-8, "hand": 0.1016,
		"fathom": 1.8288, "shackle": 27.432, "twip": 1.0 / 56692.913385826, "usSurveyFoot": 1200.0 / 3937.0,
		"astronomicalunit": 1.4959787070e11, "lightyear": 9.46073047258e15, "parsec": 3.08567758128e16,
	}
	energyUnits = map[string]float64{
		"joule": 1, "kilojoule": 1e3, "megajoule": 1e6, "gigajoule": 1e9, "millijoule": 1e-3,
		"britishthermalunit": 1055.05585262, "kilobritishthermalunit": 1055.05585262e3, "calorie": 4.184,
		"kilocalorie": 4184, "wattHour": 3600, "watthour": 3600, "kilowatthour": 3.6e6, "megawatthour": 3.6e9,
		"gigawatthour": 3.6e12, "electronvolt": 1.602176565e-19, "erg": 1e-7, "footpound": 1.355817948,
		"decathermus": 1.05505585257348e9, "thermus": 1.05505585257348e8,
	}
	forceUnits = map[string]float64{
		"newton": 1, "decanewton": 10, "kilonewton": 1e3, "meganewton": 1e6, "micronewton": 1e-6, "millinewton": 1e-3,
		"dyn": 1e-5, "kilogramforce": 9.80665, "tonneforce": 9.80665e3, "kilopond": 9.80665, "poundforce": 4.4482216152605,
		"kilopoundforce": 4448.2216152605, "ounceforce": 0.27801385095378125, "poundal": 0.138254954376,
		"shorttonforce": 8.896443230521e3,
	}
	speedUnits = map[string]float64{
		"meterpersecond": 1, "kilometerperhour": 1 / 3.6, "meterperhour": 1.0 / 3600, "centimeterperhour": 0.01 / 3600,
		"millimeterperhour": 0.001 / 3600, "meterperminute": 1.0 / 60, "kilometerpersecond": 1e3, "centimeterpersecond": 0.01,
		"millimeterpersecond": 1e-3, "mileperhour": 0.44704, "knot": 1852.0 / 3600, "footpersecond": 0.3048,
		"footperminute": 0.3048 / 60, "footperhour": 0.3048 / 3600, "inchpersecond": 0.0254, "yardpersecond": 0.9144,
		"kilometerperminute": 1e3 / 60, "mach": 340.29,
	}
	volumeUnits = map[string]float64{
		"cubicmeter": 1, "liter": 1e-3, "milliliter": 1e-6, "centiliter": 1e-5, "deciliter": 1e-4, "hectoliter": 0.1,
		"cubiccentimeter": 1e-6, "cubicdecimeter": 1e-3, "cubicmillimeter": 1e-9, "cubickilometer": 1e9,
		"cubicfoot": 0.0283168, "cubicinch": 1.6387e-5, "cubicyard": 0.764554858, "cubicmile": 4.16818182544058e9,
		"acrefoot": 1 / 0.000810714, "usgallon": 0.00378541, "imperialgallon": 0.00454609000000181429905810072407,
		"usquart": 0.00094635295, "uspint": 0.000473176473, "usounce": 2.957352956253760505068307980135e-5,
		"imperialounce": 2.8413062499962901241875439064617e-5, "oilbarrel": 0.158987294928, "uscustomarycup": 0.0002365882365,
		"tablespoon": 1.478676478125e-5, "teaspoon": 4.92892159375e-6,
	}
)

func bindConvert(name string, units map[string]float64) binder {
	return fixedNull(name, 3, 3, table.TypeReal, func(a []any) any {
		v, ok := numReal(normDyn(a[0]))
		from, ok1 := units[strings.ToLower(ToStringValue(a[1]))]
		to, ok2 := units[strings.ToLower(ToStringValue(a[2]))]
		if !ok || !ok1 || !ok2 {
			return nil
		}
		if from == to {
			return v
		}
		return v * from / to
	})
}

func convertAngle(a []any) any {
	v, ok := numReal(normDyn(a[0]))
	if !ok {
		return nil
	}
	toRad := map[string]float64{"radian": 1, "degree": math.Pi / 180, "arcminute": math.Pi / (180 * 60), "arcsecond": math.Pi / (180 * 3600),
		"gradian": math.Pi / 200, "milliradian": 1e-3, "microradian": 1e-6, "nanoradian": 1e-9, "revolution": 2 * math.Pi,
		"microdegree": math.Pi / 180e6, "millidegree": math.Pi / 180e3, "nanodegree": math.Pi / 180e9, "centiradian": 1e-2, "deciradian": 1e-1}
	from, ok1 := toRad[strings.ToLower(ToStringValue(a[1]))]
	to, ok2 := toRad[strings.ToLower(ToStringValue(a[2]))]
	if !ok1 || !ok2 {
		return nil
	}
	return v * from / to
}

func formatBytes(a []any) any {
	v, ok := numReal(normDyn(a[0]))
	if !ok {
		return ""
	}
	prec := int64(0)
	if len(a) > 1 && a[1] != nil {
		prec, _ = toLongV(normDyn(a[1]))
	}
	units := []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}
	idx := 0
	if len(a) > 2 && a[2] != nil {
		want := strings.ToUpper(ToStringValue(a[2]))
		for i, u := range units {
			if strings.ToUpper(u) == want || (want == "B" && i == 0) {
				idx = i
			}
		}
	} else {
		for math.Abs(v) >= math.Pow(1024, float64(idx+1)) && idx < len(units)-1 {
			idx++
		}
	}
	x := v / math.Pow(1024, float64(idx))
	return strconv.FormatFloat(roundHalfAway(x, prec), 'f', -1, 64) + " " + units[idx]
}

// ---- punycode (RFC 3492) ----

const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
)

func pcAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}

func pcDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punyEncode(s string) (string, bool) {
	rs := []rune(s)
	var out []byte
	for _, r := range rs {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := pcInitialN, 0, pcInitialBias
	for h < len(rs) {
		m := math.MaxInt32
		for _, r := range rs {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range rs {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := pcBase; ; k += pcBase {
					t := k - bias
					if t < pcTMin {
						t = pcTMin
					} else if t > pcTMax {
						t = pcTMax
					}
					if q < t {
						break
					}
					out = append(out, pcDigit(t+(q-t)%(pcBase-t)))
					q = (q - t) / (pcBase - t)
				}
				out = append(out, pcDigit(q))
				bias = pcAdapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out), true
}

func punyDecode(s string) (string, bool) {
	var out []rune
	b := strings.LastIndexByte(s, '-')
	if b > 0 {
		for _, c := range s[:b] {
			if c >= 0x80 {
				return "", false
			}
			out = append(out, c)
		}
		s = s[b+1:]
	} else if b == 0 {
		s = s[1:]
	}
	n, i, bias := pcInitialN, 0, pcInitialBias
	for pos := 0; pos < len(s); {
		oldi, w := i, 1
		for k := pcBase; ; k += pcBase {
			if pos >= len(s) {
				return "", false
			}
			c := s[pos]
			pos++
			var d int
			switch {
			case c >= '0' && c <= '9':
				d = int(c-'0') + 26
			case c >= 'a' && c <= 'z':
				d = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				d = int(c - 'A')
			default:
				return "", false
			}
			i += d * w
			t := k - bias
			if t < pcTMin {
				t = pcTMin
			} else if t > pcTMax {
				t = pcTMax
			}
			if d < t {
				break
			}
			w *= pcBase - t
		}
		bias = pcAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

func splitDomain(s string) []string {
	// IDNA label separators: '.', U+3002, U+FF0E, U+FF61.
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61' })
}

func gzipBase64(s string) string {
	var body bytes.Buffer
	data := []byte(s)
	w, _ := flate.NewWriter(&body, flate.DefaultCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	var deflated []byte
	if body.Len() >= len(data)+5 || len(data) < 64 {
		// Small inputs are stored, as .NET's GZipStream does.
		for off := 0; ; {
			end := min(off+65535, len(data))
			final := byte(0)
			if end == len(data) {
				final = 1
			}
			deflated = append(deflated, final, byte(end-off), byte((end-off)>>8), ^byte(end-off), ^byte((end-off)>>8))
			deflated = append(deflated, data[off:end]...)
			off = end
			if final == 1 {
				break
			}
		}
	} else {
		deflated = body.Bytes()
	}
	out := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	out = append(out, deflated...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
	return base64.StdEncoding.EncodeToString(out)
}

// betaCDF is the regularized incomplete beta function I_x(a, b).
func betaCDF(x, a, b float64) float64 {
	if math.IsNaN(x) || x < 0 || x > 1 {
		return math.NaN()
	}
	if a <= 0 || b <= 0 {
		return math.NaN()
	}
	if x == 0 || x == 1 {
		return x
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	bt := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return bt * betaCF(x, a, b) / a
	}
	return 1 - bt*betaCF(1-x, b, a)/b
}

func betaCF(x, a, b float64) float64 {
	const eps, fpmin = 1e-15, 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < fpmin {
		d = fpmin
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < fpmin {
			d = fpmin
		}
		c = 1 + aa/c
		if math.Abs(c) < fpmin {
			c = fpmin
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < fpmin {
			d = fpmin
		}
		c = 1 + aa/c
		if math.Abs(c) < fpmin {
			c = fpmin
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

func registerExtra(r *registry) {
	r.fn("convert_length", bindConvert("convert_length", lengthUnits))
	r.fn("convert_energy", bindConvert("convert_energy", energyUnits))
	r.fn("convert_force", bindConvert("convert_force", forceUnits))
	r.fn("convert_speed", bindConvert("convert_speed", speedUnits))
	r.fn("convert_volume", bindConvert("convert_volume", volumeUnits))
	r.fn("convert_angle", fixedNull("convert_angle", 3, 3, table.TypeReal, convertAngle))
	r.fn("format_bytes", fixed("format_bytes", 1, 3, table.TypeString, func(a []any) any {
		if a[0] == nil {
			return ""
		}
		return formatBytes(a)
	}))
	r.fn("isutf8", fixed("isutf8", 1, 1, table.TypeBool, func(a []any) any { return utf8.ValidString(ToStringValue(a[0])) }))
	r.fn("punycode_from_string", fixed("punycode_from_string", 1, 1, table.TypeString, func(a []any) any {
		s, _ := punyEncode(ToStringValue(a[0]))
		return s
	}))
	r.fn("punycode_to_string", fixed("punycode_to_string", 1, 1, table.TypeString, func(a []any) any {
		s, _ := punyDecode(ToStringValue(a[0]))
		return s
	}))
	r.fn("punycode_domain_to_string", fixed("punycode_domain_to_string", 1, 1, table.TypeString, func(a []any) any {
		labels := splitDomain(ToStringValue(a[0]))
		for i, l := range labels {
			if !isASCII(l) {
				e, _ := punyEncode(l)
				labels[i] = "xn--" + e
			}
		}
		return strings.Join(labels, ".")
	}))
	r.fn("punycode_domain_from_string", fixed("punycode_domain_from_string", 1, 1, table.TypeString, func(a []any) any {
		labels := strings.Split(ToStringValue(a[0]), ".")
		for i, l := range labels {
			if len(l) > 4 && strings.EqualFold(l[:4], "xn--") {
				d, ok := punyDecode(l[4:])
				if !ok {
					return ""
				}
				labels[i] = d
			}
		}
		return strings.Join(labels, ".")
	}))
	r.fn("gzip_compress_to_base64_string", fixed("gzip_compress_to_base64_string", 1, 1, table.TypeString, func(a []any) any {
		return gzipBase64(ToStringValue(a[0]))
	}))
	r.fn("beta_cdf", fixedNull("beta_cdf", 3, 3, table.TypeReal, func(a []any) any {
		x, _ := numReal(normDyn(a[0]))
		al, _ := numReal(normDyn(a[1]))
		be, _ := numReal(normDyn(a[2]))
		if al < 0 || be < 0 {
			// The engine answers 1.0 here (conformance: alpha < 0).
			if x >= 0 && x <= 1 {
				return 1.0
			}
		}
		return betaCDF(x, al, be)
	}))
	r.fn("around", fixedNull("around", 3, 3, table.TypeBool, func(a []any) any {
		c1, ok1 := compareValues(a[0], dynArith('-', a[1], a[2]))
		c2, ok2 := compareValues(a[0], dynArith('+', a[1], a[2]))
		if !ok1 || !ok2 {
			return nil
		}
		return c1 >= 0 && c2 <= 0
	}))
	r.fn("assert", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("assert", args, 2, 2); err != nil {
			return 0, nil, err
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			out := newOut(table.TypeBool, n)
			for i := 0; i < n; i++ {
				b, ok := toBoolV(args[0].At(i))
				if !ok || !b {
					return nil, fmt.Errorf("assertion failed: %s", ToStringValue(args[1].At(i)))
				}
				out.Bools[i] = true
			}
			return out, nil
		}, nil
	})
}

package syntax

import "reflect"

// Inspect walks the AST depth-first in source order, calling f for every node; if f
// returns false the node's children are skipped. Nil nodes are not visited. It finds
// children by reflection over exported fields, so nodes added later are walked too.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNil(reflect.ValueOf(n)) {
		return
	}
	if !f(n) {
		return
	}
	walkValue(reflect.ValueOf(n), f)
}

var nodeType = reflect.TypeFor[Node]()

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return !v.IsValid()
}

func walkValue(v reflect.Value, f func(Node) bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		walkField(v.Field(i), f)
	}
}

func walkField(fv reflect.Value, f func(Node) bool) {
	switch fv.Kind() {
	case reflect.Slice:
		for j := 0; j < fv.Len(); j++ {
			walkField(fv.Index(j), f)
		}
	case reflect.Pointer, reflect.Interface:
		if fv.IsNil() {
			return
		}
		if fv.Type().Implements(nodeType) || (fv.Kind() == reflect.Interface && fv.Elem().Type().Implements(nodeType)) {
			if n, ok := fv.Interface().(Node); ok {
				Inspect(n, f)
			}
		}
	}
}

// NodeAt returns the innermost nodes containing offset, outermost first (the path from
// the script down). Useful for completion and inspection at a cursor.
func NodeAt(root Node, offset int) []Node {
	var path []Node
	Inspect(root, func(n Node) bool {
		if n.Pos() <= offset && offset <= n.End() {
			path = append(path, n)
			return true
		}
		return false
	})
	return path
}

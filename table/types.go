// Package table holds typed columnar tables: the currency between the engine, the
// backends, the renderer and the server.
package table

import "fmt"

// Type is a KQL scalar type.
type Type uint8

// The KQL scalar types. The zero value is TypeInvalid so a forgotten type is caught.
const (
	TypeInvalid Type = iota
	TypeBool
	TypeInt
	TypeLong
	TypeReal
	TypeDecimal
	TypeString
	TypeDateTime
	TypeTimeSpan
	TypeGUID
	TypeDynamic
)

var typeNames = [...]string{"", "bool", "int", "long", "real", "decimal", "string", "datetime", "timespan", "guid", "dynamic"}

// String returns the KQL name of the type ("long", "datetime", ...).
func (t Type) String() string {
	if int(t) < len(typeNames) && t != TypeInvalid {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType accepts KQL type names and their aliases (boolean, int32, int64, double,
// date, time, uniqueid, ...), and the .NET names of the v1 REST API (System.Int64 ...).
func ParseType(s string) (Type, bool) {
	switch s {
	case "bool", "boolean", "Boolean", "System.Boolean", "SByte", "System.SByte":
		return TypeBool, true
	case "int", "int32", "Int32", "System.Int32":
		return TypeInt, true
	case "long", "int64", "Int64", "System.Int64":
		return TypeLong, true
	case "real", "double", "Double", "System.Double", "float":
		return TypeReal, true
	case "decimal", "Decimal", "SqlDecimal", "System.Data.SqlTypes.SqlDecimal", "System.Decimal":
		return TypeDecimal, true
	case "string", "String", "System.String":
		return TypeString, true
	case "datetime", "date", "DateTime", "System.DateTime":
		return TypeDateTime, true
	case "timespan", "time", "TimeSpan", "System.TimeSpan":
		return TypeTimeSpan, true
	case "guid", "uuid", "uniqueid", "Guid", "System.Guid":
		return TypeGUID, true
	case "dynamic", "Object", "System.Object":
		return TypeDynamic, true
	}
	return TypeInvalid, false
}

// DotNetName is the type's name in the v1 REST API (conformance cases use it).
func (t Type) DotNetName() string {
	switch t {
	case TypeBool:
		return "SByte"
	case TypeInt:
		return "Int32"
	case TypeLong:
		return "Int64"
	case TypeReal:
		return "Double"
	case TypeDecimal:
		return "SqlDecimal"
	case TypeString:
		return "String"
	case TypeDateTime:
		return "DateTime"
	case TypeTimeSpan:
		return "TimeSpan"
	case TypeGUID:
		return "Guid"
	case TypeDynamic:
		return "Object"
	}
	return ""
}

// Numeric reports whether the type is int, long, real or decimal.
func (t Type) Numeric() bool {
	return t == TypeInt || t == TypeLong || t == TypeReal || t == TypeDecimal
}

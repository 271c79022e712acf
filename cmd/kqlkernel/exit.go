package main

import "errors"

// exitCode is an error that only sets the exit status: the command already printed
// what the user needs to see.
type exitCode int

func (e exitCode) Error() string { return "exit status" }

func asExit(err error, target *exitCode) bool { return errors.As(err, target) }

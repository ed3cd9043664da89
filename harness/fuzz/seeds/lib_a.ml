(* A seed of the fuzzer (harness/fuzz): the first unit of a library (.cma). *)

let greeting = "lib_a"

let twice f x = f (f x)

let words = String.split_on_char ' ' "a library of two units"

(* A seed of the fuzzer (harness/fuzz): the second unit of a library (.cma),
   which uses the first. *)

exception Lib_b_error of int

let value = Lib_a.twice (fun x -> x * 2) 5

let () =
  if String.length Lib_a.greeting <> 5 then raise (Lib_b_error value);
  ignore (Sys.opaque_identity (List.length Lib_a.words + value))

(* Starts the bytecode guest of the native runtime three times, as Dynlink
   does before it loads bytecode; a start may fail where faults/*.gdb makes
   an allocation fail.  Each start prints one line. *)

external crossload_init : unit -> unit = "caml_crossload_init"

let start n =
  match crossload_init () with
  | () -> Printf.printf "start %d: ok\n%!" n
  | exception Out_of_memory -> Printf.printf "start %d: Out_of_memory\n%!" n
  | exception Failure msg -> Printf.printf "start %d: Failure %S\n%!" n msg

let () = start 1; start 2; start 3

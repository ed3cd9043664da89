(* Bytecode that guest_start.ml loads once the guest has started: a
   closure, a call of a function of the Stdlib, and an unhandled effect,
   which reaches the code that the interpreter's initialisation threads
   (raise_unhandled_effect_code). *)

type _ Effect.t += Ping : unit Effect.t

let () =
  Printf.printf "plugin: %d\n%!" (List.fold_left ( + ) 0 [1; 2; 3]);
  match Effect.perform Ping with
  | () -> print_endline "plugin: Ping handled"
  | exception Effect.Unhandled Ping -> print_endline "plugin: Effect.Unhandled"

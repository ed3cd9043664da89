(* The plugin's computations keep young values in their frames across
   each perform; the host resumes them. *)
type _ Effect.t += Step : int -> int Effect.t
type suspended =
  | Done of int
  | Suspended of int * (int, suspended) Effect.Deep.continuation
let plugin_run : (int -> int) ref = ref (fun _ -> failwith "no plugin")
let plugin_suspend : (int -> suspended) ref =
  ref (fun _ -> failwith "no plugin")

(* The plugin's entry points: each returns a suspended computation. *)
type _ Effect.t += Step : int -> int Effect.t
let plugin_suspend : (unit -> (int, string) Effect.Deep.continuation * string) ref =
  ref (fun () -> failwith "no plugin")
let plugin_resume : ((int, string) Effect.Deep.continuation -> string) ref = ref (fun _ -> "")

type _ Effect.t += Ask : string -> int Effect.t

(* Each side's function allocates before and after the effect it
   performs, so that minor collections fall while a call that crosses
   under a handler of the other side is under way *)
let allocating side n () =
  let l = List.init 2000 Fun.id in
  let v = Effect.perform (Ask (String.make n side)) in
  v + List.length l + List.length (List.init 2000 (fun i -> i + n))

let host_allocating n = allocating 'h' n
let plugin_allocating : (int -> unit -> int) ref = ref (fun _ () -> 0)
let plugin_handle : ((unit -> int) -> int) ref = ref (fun f -> f ())

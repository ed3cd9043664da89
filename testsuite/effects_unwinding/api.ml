type _ Effect.t += Ask : int Effect.t | Nobody : int Effect.t
exception Stop of string

(* Alternate host and plugin frames down to 0, each protected; at 0 the
   bottom function runs *)
let plugin_down : ((unit -> int) -> int -> int) ref = ref (fun f _ -> f ())
let rec host_down bottom n =
  Fun.protect ~finally:(fun () -> Printf.printf "  host frame %d unwound or returned\n" n)
    (fun () -> if n = 0 then bottom () else 1 + !plugin_down bottom (n - 1))

let plugin_discontinue : ((unit -> int) -> string) ref = ref (fun _ -> "")

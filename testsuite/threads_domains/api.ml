(* State shared by every domain, host and plugin; the plugin's entry points. *)
let lock = Mutex.create ()
let counter = ref 0
let add n = Mutex.protect lock (fun () -> counter := !counter + n)
let hits = Atomic.make 0
exception Failed of int
let plugin_work : (int -> int) ref = ref (fun _ -> 0)
let plugin_fail : (int -> int) ref = ref (fun _ -> 0)
let plugin_spawn : ((int -> int) -> int list) ref = ref (fun _ -> [])

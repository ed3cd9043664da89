(* State shared by every thread, host and plugin; the plugin's entry points
   (the domains part is testsuite/threads_domains). *)
let lock = Mutex.create ()
let counter = ref 0
let add n = Mutex.protect lock (fun () -> counter := !counter + n)
exception Failed of int
let plugin_fail : (int -> int) ref = ref (fun _ -> 0)

(* Systhreads. [tlock] and [changed] guard [mailbox], [turn] and [log]; host
   and plugin code both wait on [changed]. *)
let tlock = Mutex.create ()
let changed = Condition.create ()
let mailbox : int Queue.t = Queue.create ()
let turn = ref 0
let log : string list ref = ref []
let take () =
  Mutex.protect tlock (fun () ->
    while Queue.is_empty mailbox do Condition.wait changed tlock done;
    Queue.pop mailbox)
let plugin_thread_work : (int -> int) ref = ref (fun _ -> 0)
let plugin_thread_spawn : ((int -> int) -> int list) ref = ref (fun _ -> [])
let plugin_take : (int -> int) ref = ref (fun _ -> 0)
let plugin_produce : (int list -> unit) ref = ref (fun _ -> ())
let plugin_pingpong : (int -> unit) ref = ref (fun _ -> ())

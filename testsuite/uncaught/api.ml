let boom : (unit -> unit) ref = ref (fun () -> ())

exception Plugin_fatal of string
let () = at_exit (fun () -> print_endline "plugin at_exit ran")
let () = Api.boom := (fun () -> raise (Plugin_fatal "boom"))

exception Plugin_error of int

let () = Printexc.register_printer (function
  | Plugin_error n -> Some (Printf.sprintf "Plugin_error(%d) [custom printer]" n)
  | _ -> None)

let () =
  Api.plugin_exn := Some (Plugin_error 7);
  Api.plugin_raiser := (function
    | "not_found" -> raise Not_found
    | "exit" -> raise Exit
    | "failure" -> failwith "from plugin"
    | "host" -> raise (Api.Host_error ("from plugin", 42))
    | "plugin" -> raise (Plugin_error 3)
    | "invalid" -> invalid_arg "plugin arg"
    | "div" -> ignore (1 / (Sys.opaque_identity 0))
    | "array" -> ignore (Array.get [||] (Sys.opaque_identity 1))
    | _ -> ());
  Api.plugin_catcher := (fun f ->
    match f () with
    | () -> "no exception"
    | exception Not_found -> "plugin caught Not_found"
    | exception Exit -> "plugin caught Exit"
    | exception Api.Host_error (s, n) -> Printf.sprintf "plugin caught Host_error(%s, %d)" s n
    | exception Failure s -> "plugin caught Failure " ^ s
    | exception e -> "plugin caught other: " ^ Printexc.to_string e)

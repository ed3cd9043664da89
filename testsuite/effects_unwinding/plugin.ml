let rec down bottom n =
  Fun.protect ~finally:(fun () -> Printf.printf "  plugin frame %d unwound or returned\n" n)
    (fun () -> if n = 0 then bottom () else 1 + Api.host_down bottom (n - 1))

let discontinue f =
  Effect.Deep.match_with f ()
    { retc = string_of_int;
      exnc = (function Api.Stop s -> "plugin handler saw Stop " ^ s | e -> raise e);
      effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.discontinue k (Api.Stop "from the plugin's handler"))
        | _ -> None }

let () =
  Api.plugin_down := down;
  Api.plugin_discontinue := discontinue

open Effect
open Effect.Deep

(* A round-robin scheduler: every task runs under its own handler; a
   yielding task goes to the back of the queue. *)
let run tasks =
  let queue = Queue.create () in
  let rec start f =
    match_with f ()
      { retc = (fun () -> next ());
        exnc = (fun e -> print_endline ("task raised " ^ Printexc.to_string e); next ());
        effc = fun (type a) (e : a t) -> match e with
          | Api.Yield -> Some (fun (k : (a, unit) continuation) ->
              Queue.push (fun () -> continue k ()) queue; next ())
          | Api.Spawn f -> Some (fun (k : (a, unit) continuation) ->
              Queue.push (fun () -> continue k ()) queue; start f)
          | _ -> None }
  and next () = match Queue.take_opt queue with Some f -> f () | None -> () in
  List.iter (fun t -> Queue.push (fun () -> start t) queue) tasks;
  next ()

let plugin_task () =
  for i = 1 to 2 do Printf.printf "plugin task %d\n" i; perform Api.Yield done

let () =
  Api.plugin_run := (fun tasks -> run (plugin_task :: tasks));
  Api.plugin_yield := (fun () -> perform Api.Yield)

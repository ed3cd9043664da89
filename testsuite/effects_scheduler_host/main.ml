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

let host_task () =
  for i = 1 to 3 do Printf.printf "host task %d\n" i; Api.yield () done

let () =
  run [host_task; (fun () -> print_endline "host task alone")];
  Crosstest.load "plugin";
  run (host_task :: !Api.plugin_tasks ());
  print_endline "all tasks done"

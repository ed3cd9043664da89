(* Shallow handlers of one side running tasks of the other side, under
   deep handlers of either side: an effect that the shallow handler does
   not handle reaches the deep handler, and the task goes on under the
   shallow handler. *)

let host_answer (n : int) f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask _ -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k n)
        | _ -> None }

let show f =
  match f () with
  | s -> s
  | exception Effect.Unhandled (Api.Ask s) -> "Unhandled (Ask " ^ s ^ ")"
  | exception Effect.Continuation_already_resumed ->
      "Continuation_already_resumed"
  | exception Exit -> "Exit"

let () =
  Crosstest.load "plugin";
  let runners = [ "host runner", Api.run_shallow;
                  "plugin runner", (fun t -> !Api.plugin_run_shallow t) ] in
  let tasks = [ "host task", Api.task "host";
                "plugin task", (fun () -> !Api.plugin_task ()) ] in
  let answers = [ "host answers", host_answer;
                  "plugin answers", (fun n f -> !Api.plugin_answer n f);
                  "nobody answers", (fun _ f -> f ()) ] in
  List.iter (fun (runner_name, runner) ->
      List.iter (fun (task_name, task) ->
          List.iter (fun (answer_name, answer) ->
              List.iter (fun n ->
                  Printf.printf "%s, %s, %s %d: %s\n" runner_name task_name
                    answer_name n
                    (show (fun () -> answer n (fun () -> runner task))))
                [ 7; 1000 ])
            answers)
        tasks)
    runners;
  (* Shallow runners nested across the sides, the inner one's task asking
     the outer answer through both *)
  Printf.printf "nested: %s\n"
    (show (fun () -> host_answer 5 (fun () ->
       Api.run_shallow (fun () ->
         !Api.plugin_run_shallow (fun () ->
           Api.run_shallow (Api.task "host"))))));
  (* The deep handler keeps the continuation and resumes it later, twice *)
  let saved = ref None in
  let first =
    show (fun () ->
        Effect.Deep.try_with (fun () ->
            !Api.plugin_run_shallow (Api.task "host")) ()
          { effc = fun (type a) (e : a Effect.t) -> match e with
              | Api.Ask _ -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
                  saved := Some (fun (n : int) -> Effect.Deep.continue k n);
                  "suspended")
              | _ -> None })
  in
  let resume = Option.get !saved in
  let later = show (fun () -> resume 3) in
  let again = show (fun () -> resume 4) in
  Printf.printf "kept: %s; later: %s; again: %s\n" first later again;
  (* Discontinued by the deep handler *)
  Printf.printf "discontinued: %s\n"
    (show (fun () ->
       Effect.Deep.try_with (fun () -> Api.run_shallow !Api.plugin_task) ()
         { effc = fun (type a) (e : a Effect.t) -> match e with
             | Api.Ask _ -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
                 Effect.Deep.discontinue k Exit)
             | _ -> None }));
  (* Many rounds, under GC activity *)
  let total = ref 0 in
  for i = 1 to 1000 do
    let l = List.init 10 (fun j -> i + j) in
    let runner = if i land 1 = 0 then Api.run_shallow
      else (fun t -> !Api.plugin_run_shallow t) in
    let task = if i land 2 = 0 then Api.task "host" else !Api.plugin_task in
    let answer = if i land 4 = 0 then host_answer else !Api.plugin_answer in
    total := !total + String.length (answer i (fun () -> runner task))
             + List.length l
  done;
  Printf.printf "1000 rounds: %d\n" !total

(* Tasks for the host's scheduler: they perform its effects directly and
   call its functions, which perform them. *)
let direct () =
  for i = 1 to 3 do Printf.printf "plugin direct %d\n" i; Effect.perform Api.Yield done

let through_host () =
  for i = 1 to 3 do Printf.printf "plugin through host %d\n" i; Api.yield () done

let under_iter () =
  List.iter (fun s -> Printf.printf "plugin under List.iter %s\n" s; Api.yield ()) ["a"; "b"]

let spawner () =
  print_endline "plugin spawner starts";
  Api.spawn (fun () -> print_endline "spawned 1"; Api.yield (); print_endline "spawned 2");
  Effect.perform (Api.Spawn (fun () -> print_endline "spawned directly"));
  print_endline "plugin spawner ends"

let raiser () =
  Api.yield ();
  failwith "plugin task fails"

let () = Api.plugin_tasks := (fun () -> [direct; through_host; under_iter; spawner; raiser])

open Effect
open Effect.Deep

(* Every [Ask n] of [comp] is answered with [f n]. *)
let answer_ask (f : int -> int) comp =
  try_with comp () { effc = (fun (type a) (e : a t) -> match e with
    | Api.Ask n -> Some (fun (k : (a, _) continuation) -> continue k (f n))
    | _ -> None) }

let sum_ask l = List.fold_left (fun acc i -> acc + perform (Api.Ask i)) 0 l

let host_same_side () =
  let s = answer_ask (fun n -> n + 100) (fun () -> sum_ask [1; 2; 3]) in
  let d = match_with (fun () -> perform (Api.Ask 1)) ()
    { retc = string_of_int; exnc = (function Api.Stop s -> "computation raised Stop " ^ s | e -> raise e);
      effc = (fun (type a) (e : a t) -> match e with
        | Api.Ask _ -> Some (fun (k : (a, _) continuation) -> discontinue k (Api.Stop "host"))
        | _ -> None) } in
  let u = try string_of_int (perform (Api.Ask 0)) with Unhandled (Api.Ask n) -> Printf.sprintf "Unhandled (Ask %d)" n in
  Printf.sprintf "sum %d; %s; %s" s d u

let () =
  print_endline ("host same side: " ^ host_same_side ());
  Crosstest.load "plugin";
  print_endline ("plugin same side: " ^ !Api.plugin_same_side ());
  (* The host's handler answers with plugin code; the plugin's handler with host code. *)
  Printf.printf "host handler, plugin answers: %d\n" (answer_ask !Api.plugin_square (fun () -> sum_ask [1; 2; 3]));
  Printf.printf "plugin handler, host answers: %d\n"
    (!Api.plugin_sum_with (fun n -> Gc.minor (); List.length (List.init (n * 10) Fun.id)));
  Printf.printf "plugin handler, host handler inside: %d\n"
    (!Api.plugin_sum_with (fun n -> answer_ask (fun m -> m * n) (fun () -> sum_ask [1; 2])));
  Printf.printf "host handler, plugin handler inside: %d\n"
    (answer_ask (fun n -> !Api.plugin_sum_with (fun m -> m * n)) (fun () -> sum_ask [1; 10]));
  (match !Api.plugin_discontinue "by plugin" with
   | v -> Printf.printf "plugin discontinue: returned %d\n" v
   | exception Api.Stop s -> Printf.printf "plugin discontinue: host caught Stop %s\n" s);
  let unhandled f = match f () with
    | v -> "host got " ^ string_of_int v
    | exception Unhandled (Api.Ask n) -> Printf.sprintf "host caught Unhandled (Ask %d)" n in
  Printf.printf "plugin performs, no handler: %s\n" (unhandled (fun () -> !Api.plugin_perform_ask 5));
  Printf.printf "host performs, no handler: %s\n" (!Api.plugin_catch_unhandled (fun () -> perform (Api.Ask 6)));
  (match !Api.plugin_resume_twice () with
   | v -> Printf.printf "resumed twice: %d\n" v
   | exception Continuation_already_resumed -> print_endline "resumed twice: host caught Continuation_already_resumed")

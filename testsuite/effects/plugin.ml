open Effect
open Effect.Deep
type _ Effect.t += Next : int -> int Effect.t | Yield : int -> unit Effect.t

(* Every [Next n] of [comp] is answered with [f n]. *)
let answer_next (f : int -> int) comp =
  try_with comp () { effc = (fun (type a) (e : a t) -> match e with
    | Next n -> Some (fun (k : (a, _) continuation) -> continue k (f n))
    | _ -> None) }

let yields comp =
  let open Effect.Shallow in
  let rec go acc k = continue_with k () { retc = (fun () -> List.rev acc); exnc = raise;
    effc = (fun (type a) (e : a t) -> match e with
      | Yield n -> Some (fun (k : (a, _) continuation) -> go (n :: acc) k)
      | _ -> None) } in
  go [] (fiber comp)

let sum_next l = List.fold_left (fun acc i -> acc + perform (Next i)) 0 l

let () =
  Api.plugin_same_side := (fun () ->
    let s = answer_next (fun n -> n * n) (fun () -> sum_next [1; 2; 3; 4]) in
    let g = yields (fun () -> for i = 1 to 5 do perform (Yield (i * 10)) done) in
    let d = match_with (fun () -> perform (Next 1)) ()
      { retc = string_of_int; exnc = (function Exit -> "computation raised Exit" | e -> raise e);
        effc = (fun (type a) (e : a t) -> match e with
          | Next _ -> Some (fun (k : (a, _) continuation) -> discontinue k Exit)
          | _ -> None) } in
    let u = try string_of_int (perform (Next 0)) with Unhandled (Next n) -> Printf.sprintf "Unhandled (Next %d)" n in
    Printf.sprintf "sum %d; yields %s; %s; %s" s (String.concat "," (List.map string_of_int g)) d u);
  Api.plugin_square := (fun n -> n * n);
  Api.plugin_sum_with := (fun f -> answer_next f (fun () -> sum_next [1; 2; 3]));
  Api.plugin_discontinue := (fun why ->
    try_with (fun () -> perform (Next 7) + 1) ()
      { effc = (fun (type a) (e : a t) -> match e with
          | Next _ -> Some (fun (k : (a, _) continuation) -> discontinue k (Api.Stop why))
          | _ -> None) });
  Api.plugin_perform_ask := (fun n -> perform (Api.Ask n) + 1);
  Api.plugin_catch_unhandled := (fun f ->
    match answer_next (fun n -> n) f with
    | v -> "plugin got " ^ string_of_int v
    | exception Unhandled (Api.Ask n) -> Printf.sprintf "plugin caught Unhandled (Ask %d)" n);
  Api.plugin_resume_twice := (fun () ->
    try_with (fun () -> perform (Next 1)) ()
      { effc = (fun (type a) (e : a t) -> match e with
          | Next _ -> Some (fun (k : (a, _) continuation) -> ignore (continue k 1); continue k 2)
          | _ -> None) })

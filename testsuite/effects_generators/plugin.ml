let rec iter f = function
  | Api.Leaf -> ()
  | Api.Node (l, x, r) -> iter f l; f x; iter f r

(* The plugin's generator, made with Shallow handlers *)
let to_seq (iter : (int -> unit) -> unit) : int Seq.t =
  let module M = struct type _ Effect.t += Next : int -> unit Effect.t end in
  let open Effect.Shallow in
  let rec step : (unit, unit) continuation -> int Seq.t = fun k () ->
    continue_with k ()
      { retc = (fun () -> Seq.Nil);
        exnc = raise;
        effc = fun (type b) (e : b Effect.t) -> match e with
          | M.Next x -> Some (fun (k : (b, _) continuation) -> Seq.Cons (x, step k))
          | _ -> None }
  in
  step (fiber (fun () -> iter (fun x -> Effect.perform (M.Next x))))

let () =
  Api.plugin_iter := iter;
  Api.plugin_to_seq := to_seq

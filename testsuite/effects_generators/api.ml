(* Trees and their iterators on each side, and generators made with effects. *)
type tree = Leaf | Node of tree * int * tree

let rec host_iter f = function
  | Leaf -> ()
  | Node (l, x, r) -> host_iter f l; f x; host_iter f r

let rec build lo hi = if lo > hi then Leaf else
  let m = (lo + hi) / 2 in Node (build lo (m - 1), m, build (m + 1) hi)

(* The generator of the host: [iter] runs under a handler that suspends it
   at every element. *)
let host_to_seq (type a) (iter : (a -> unit) -> unit) : a Seq.t =
  let module M = struct type _ Effect.t += Next : a -> unit Effect.t end in
  fun () ->
    Effect.Deep.match_with iter (fun x -> Effect.perform (M.Next x))
      { retc = (fun () -> Seq.Nil);
        exnc = raise;
        effc = fun (type b) (e : b Effect.t) -> match e with
          | M.Next x -> Some (fun (k : (b, _) Effect.Deep.continuation) ->
              Seq.Cons (x, fun () -> Effect.Deep.continue k ()))
          | _ -> None }

let plugin_iter : ((int -> unit) -> tree -> unit) ref = ref (fun _ _ -> ())
let plugin_to_seq : (((int -> unit) -> unit) -> int Seq.t) ref = ref (fun _ -> Seq.empty)

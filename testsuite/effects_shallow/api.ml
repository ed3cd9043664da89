(* [Yield] is handled by shallow handlers (Effect.Shallow.continue_with),
   [Ask] only by deep handlers around them. *)
type _ Effect.t += Yield : int -> unit Effect.t
type _ Effect.t += Ask : string -> int Effect.t

(* A task of either side: yields, asks, yields what it was told, and
   fails when it is told too much *)
let task side () =
  Effect.perform (Yield 1);
  let n = Effect.perform (Ask side) in
  Effect.perform (Yield n);
  if n > 100 then failwith (side ^ " was told " ^ string_of_int n);
  side ^ " done"

(* Runs a task step by step with a shallow handler of [Yield] *)
let run_shallow (t : unit -> string) : string =
  let open Effect.Shallow in
  let steps = Buffer.create 16 in
  let rec go : type a. (a, string) continuation -> a -> string = fun k v ->
    continue_with k v
      { retc = (fun s -> Buffer.contents steps ^ "-> " ^ s);
        exnc = (fun e ->
          Buffer.contents steps ^ "-> raised " ^ Printexc.to_string e);
        effc = fun (type b) (e : b Effect.t) -> match e with
          | Yield n -> Some (fun (k : (b, _) continuation) ->
              Buffer.add_string steps (string_of_int n ^ " ");
              go k ())
          | _ -> None }
  in
  go (fiber t) ()

(* The plugin's own: its task, its shallow runner and its handler of
   [Ask] (answers with [n]) *)
let plugin_task : (unit -> string) ref = ref (fun () -> "")
let plugin_run_shallow : ((unit -> string) -> string) ref = ref (fun t -> t ())
let plugin_answer : (int -> (unit -> string) -> string) ref =
  ref (fun _ f -> f ())

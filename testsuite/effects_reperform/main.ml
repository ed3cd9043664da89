(* An effect performed under handlers that do not handle it (they
   reperform it) reaches an outer handler, whatever side each of them
   is on. *)
open Effect.Deep

let host_handle f =
  try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) continuation) ->
            continue k (String.length s))
        | _ -> None }

let show f =
  match f () with
  | n -> string_of_int n
  | exception Effect.Unhandled _ -> "Unhandled"
  | exception Failure s -> "Failure " ^ s

let host_ask s = Effect.perform (Api.Ask s)

let () =
  Crosstest.load "plugin";
  let inner = [
    "host deep", Api.host_deep;
    "host shallow", Api.host_shallow;
    "plugin deep", (fun f -> !Api.plugin_deep f);
    "plugin shallow", (fun f -> !Api.plugin_shallow f) ] in
  let performers = [ "host", host_ask; "plugin", (fun s -> !Api.plugin_ask s) ] in
  let outer = [
    "host handler", host_handle;
    "plugin handler", (fun f -> !Api.plugin_handle f);
    "no handler", (fun f -> f ()) ] in
  List.iter (fun (outer_name, outer) ->
      List.iter (fun (perf_name, perform) ->
          (* one handler between *)
          List.iter (fun (inner_name, inner) ->
              Printf.printf "%s, %s, %s performs: %s\n" outer_name inner_name
                perf_name
                (show (fun () -> outer (fun () ->
                   inner (fun () -> 1 + perform perf_name)))))
            inner;
          (* four handlers between, of both sides alternately *)
          Printf.printf "%s, four between, %s performs: %s\n" outer_name
            perf_name
            (show (fun () -> outer (fun () ->
               Api.host_deep (fun () -> !Api.plugin_deep (fun () ->
                 Api.host_shallow (fun () -> !Api.plugin_shallow (fun () ->
                   2 + perform perf_name))))))))
        performers)
    outer;
  (* Many in a row, under GC activity *)
  let total = ref 0 in
  for i = 1 to 2000 do
    let l = List.init 20 (fun j -> i + j) in
    total := !total + host_handle (fun () ->
      !Api.plugin_deep (fun () ->
        Api.host_deep (fun () -> List.length l + host_ask "x")))
  done;
  Printf.printf "2000 rounds: %d\n" !total;
  (* An exception raised under them, after an effect crossed them *)
  Printf.printf "raise after a reperformed effect: %s\n"
    (show (fun () -> host_handle (fun () ->
       !Api.plugin_deep (fun () -> Api.host_shallow (fun () ->
         ignore (host_ask "host"); failwith "late")))))

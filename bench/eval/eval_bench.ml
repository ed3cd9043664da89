(* The native host of the bench's evaluated phrases (harness/bench/eval.ts):
   a program that evaluates OCaml phrases with the Eval library
   (ocamleval.cmxa): compiled to bytecode in memory and run by the bytecode
   interpreter of the native runtime.

     eval_bench latency FILE   evaluates each line of FILE (one phrase a
                               line), each with its own Eval.eval, timed
                               apart: "phrase I SECONDS" for line I (from 1)
     eval_bench script FILE    evaluates FILE with Eval.eval_file, as #use
                               does: "script SECONDS"
     eval_bench memory FILE    evaluates the first line, compacts the heap
                               and measures ("before ..."); evaluates every
                               line but the last, compacts and measures
                               again ("after ..."); evaluates the last line;
                               then "memory PHRASES" (the lines between)

   A measure is "live_words L heap_words H rss_kb R": the live and heap words
   of Gc.stat after Gc.compact, VmRSS of /proc/self/status (-1 without it).

   What the host measures goes to stderr; stdout holds only what the phrases
   print, the same as when ocaml or ocamlnat run the file. A phrase that
   fails prints "error I MESSAGE" on stderr and exits 2. *)

let now = Unix.gettimeofday

let lines file =
  In_channel.with_open_text file In_channel.input_all
  |> String.split_on_char '\n'
  |> List.filter (fun l -> String.trim l <> "")

let fail i e =
  flush stdout;
  Printf.eprintf "error %d %s\n%!" i
    (String.concat " " (String.split_on_char '\n' (Eval.message_of_error e)));
  exit 2

let eval ctx i text =
  match (Eval.eval ctx text).result with Ok () -> () | Error e -> fail i e

(* VmRSS of this process, in kB; -1 where /proc is not there. *)
let rss_kb () =
  let prefix = "VmRSS:" in
  let n = String.length prefix in
  try
    In_channel.with_open_text "/proc/self/status" (fun ic ->
      let rec find () =
        match In_channel.input_line ic with
        | None -> -1
        | Some l when String.starts_with ~prefix l ->
            Scanf.sscanf (String.sub l n (String.length l - n)) " %d kB" Fun.id
        | Some _ -> find ()
      in
      find ())
  with Sys_error _ | Scanf.Scan_failure _ | Failure _ | End_of_file -> -1

let measure tag =
  Gc.compact ();
  let s = Gc.stat () in
  Printf.eprintf "%s live_words %d heap_words %d rss_kb %d\n%!"
    tag s.live_words s.heap_words (rss_kb ())

let () =
  match Sys.argv with
  | [| _; mode; file |] ->
      (* Scripts may use the standard library only, as in the toplevels'
         runs of the same files. *)
      let ctx = Eval.create ~units:(Eval.Only []) () in
      (match mode with
       | "latency" ->
           List.iteri (fun i text ->
               let t0 = now () in
               eval ctx (i + 1) text;
               let t1 = now () in
               Printf.eprintf "phrase %d %.9f\n" (i + 1) (t1 -. t0))
             (lines file)
       | "script" ->
           let t0 = now () in
           (match (Eval.eval_file ctx file).result with
            | Ok () -> ()
            | Error e -> fail 0 e);
           let t1 = now () in
           Printf.eprintf "script %.9f\n" (t1 -. t0)
       | "memory" ->
           let phrases = Array.of_list (lines file) in
           let n = Array.length phrases in
           if n < 2 then (prerr_endline "eval_bench: memory needs 2 lines"; exit 2);
           eval ctx 1 phrases.(0);
           measure "before";
           for i = 1 to n - 2 do eval ctx (i + 1) phrases.(i) done;
           measure "after";
           eval ctx n phrases.(n - 1);
           Printf.eprintf "memory %d\n" (n - 2)
       | _ -> prerr_endline ("eval_bench: unknown mode " ^ mode); exit 2);
      flush stdout;
      flush stderr
  | _ -> prerr_endline "usage: eval_bench latency|script|memory FILE"; exit 2

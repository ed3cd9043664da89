(* A calculator whose users define their own functions in OCaml.

   The program is native code, built with plain ocamlopt commands (see
   README.md).  It evaluates the user's definitions (functions.ml) with the
   Eval library, then each line of the input as an expression of type
   float.  A line that does not parse, does not type or raises is reported
   and the calculator goes on with the next one. *)

let ctx = Eval.create ()

(* Functions of the program that the user's code may call *)
let () =
  let ok = function Ok () -> () | Error msg -> failwith msg in
  ok (Eval.set ctx "deg" Eval.Ty.(float @-> float)
        (fun d -> d *. Float.pi /. 180.))

(* The results so far, for the user's summary *)
let results = ref []

(* [offset]: the columns of the user's text before its first character *)
let report_error ?(offset = 0) (error : Eval.error) =
  let where (m : Eval.message) =
    match m.loc with
    | Some l -> Printf.sprintf "line %d, column %d: " l.start_line
                  (l.start_column - offset + 1)
    | None -> ""
  in
  let text (m : Eval.message) =
    String.concat "\n    " (String.split_on_char '\n' m.text) in
  match error with
  | Syntax_error m -> Printf.printf "  syntax error, %s%s\n" (where m) (text m)
  | Compile_error m -> Printf.printf "  error, %s%s\n" (where m) (text m)
  | Exception (_, printed) -> Printf.printf "  raised %s\n" printed
  | Directive_error text -> Printf.printf "  %s\n" text

let load_definitions file =
  let outcome = Eval.eval_file ctx file in
  List.iter (fun (v : Eval.value) ->
      Printf.printf "defined %s : %s\n" v.name v.type_) outcome.values;
  List.iter (fun (w : Eval.message) -> Printf.printf "warning: %s\n" w.text)
    outcome.warnings;
  match outcome.result with
  | Ok () -> ()
  | Error error -> report_error error

let calculate line =
  Printf.printf "> %s\n" line;
  let prefix = "let result : float = " in
  match (Eval.eval ctx (prefix ^ line)).result with
  | Error error -> report_error ~offset:(String.length prefix) error
  | Ok () ->
      match Eval.get ctx "result" Eval.Ty.float with
      | Ok x ->
          results := x :: !results;
          Printf.printf "  = %g\n" x
      | Error msg -> Printf.printf "  %s\n" msg

let () =
  let definitions, input =
    match Sys.argv with
    | [| _; definitions; input |] -> definitions, input
    | _ -> prerr_endline "usage: calc FUNCTIONS.ml INPUT"; exit 2
  in
  load_definitions definitions;
  In_channel.with_open_text input In_channel.input_lines
  |> List.filter (fun l -> String.trim l <> "")
  |> List.iter calculate;
  (* The user's own summary of the results, if they defined one *)
  match Eval.get ctx "summary" Eval.Ty.(list float @-> string) with
  | Ok summary -> Printf.printf "summary: %s\n" (summary (List.rev !results))
  | Error msg -> Printf.printf "no summary: %s\n" msg

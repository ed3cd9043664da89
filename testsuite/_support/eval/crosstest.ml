(* The eval flavour of the crosstest support, linked into the native hosts
   of the mode native+eval with the Eval library (ocamleval.cmxa): a plugin
   is its source, compiled at run time to bytecode in memory and run by the
   guest interpreter of the native runtime, as [#mod_use "plugin.ml"] does
   in the toplevel (the unit becomes the module Plugin of the evaluation
   context). The harness copies the plugin sources into the run directory,
   the current one (first in the load path). *)

let plugin_ext = ".ml"

(* Where the scripts find the compiled interfaces of the host's own units
   (the host's build directory) and of its libraries (+unix...):
   CROSSTEST_EVAL_INCLUDE, ':'-separated, set by the harness; else the
   directory of the host executable, where they are built. *)
let include_dirs () =
  match Sys.getenv_opt "CROSSTEST_EVAL_INCLUDE" with
  | Some dirs -> List.filter (fun d -> d <> "") (String.split_on_char ':' dirs)
  | None -> [Filename.dirname Sys.executable_name]

(* The test's own compiler flags (CROSSTEST_EVAL_FLAGS, space-separated:
   those the .cmo modes give ocamlc for the plugins, -rectypes, -unsafe,
   -w ...), parsed by ocamlc's own option table, so they set the compiler's
   flags as they do for ocamlc. A flag ocamlc would refuse fails the load. *)
let apply_flags () =
  match Sys.getenv_opt "CROSSTEST_EVAL_FLAGS" with
  | None -> ()
  | Some flags ->
      let words =
        List.filter (fun w -> w <> "") (String.split_on_char ' ' flags) in
      if words <> [] then begin
        let module Options =
          Main_args.Make_bytecomp_options (Main_args.Default.Main) in
        let argv = Array.of_list ("crosstest" :: words) in
        try
          Arg.parse_argv ~current:(ref 0) argv Options.list
            (fun arg -> raise (Arg.Bad ("unexpected argument " ^ arg)))
            "CROSSTEST_EVAL_FLAGS"
        with Arg.Bad msg | Arg.Help msg ->
          failwith ("Crosstest: CROSSTEST_EVAL_FLAGS: " ^ msg)
      end

(* The program's one evaluation context, created at the first load: by then
   the host's units have been initialised. Scripts may use every unit the
   program links (Eval's default). *)
let context =
  lazy begin
    let ctx = Eval.create ~include_dirs:(include_dirs ()) () in
    apply_flags ();
    ctx
  end

(* [Dynlink.Error (Library's_module_initializers_failed exn)], as Dynlink
   raises it. [Dynlink.error] is private: only Dynlink makes its values. This
   type has its constructors in its order, so the same representation; the
   value made is checked by matching it as a [Dynlink.error] (which a
   private type allows), so a change of [Dynlink.error] fails loudly. *)
type dynlink_error =
  | Not_a_bytecode_file of string
  | Inconsistent_import of string
  | Unavailable_unit of string
  | Unsafe_file
  | Linking_error of string * Dynlink.linking_error
  | Corrupted_interface of string
  | Cannot_open_dynamic_library of exn
  | Library's_module_initializers_failed of exn
  | Inconsistent_implementation of string
  | Module_already_loaded of string
  | Private_library_cannot_implement_interface of string
[@@warning "-37"]

let initializers_failed exn =
  let error : Dynlink.error =
    Obj.magic (Library's_module_initializers_failed exn : dynlink_error) in
  match error with
  | Dynlink.Library's_module_initializers_failed e when e == exn ->
      Dynlink.Error error
  | _ -> failwith "Crosstest: Dynlink.error is not as eval/crosstest.ml has it"

(* [load "plugin"] evaluates [#mod_use "plugin.ml"].
   Adapter: in the Dynlink modes, an exception escaping the initialisation
   of a plugin (its toplevel code) reaches the host as
   [Dynlink.Error (Library's_module_initializers_failed exn)]; the toplevel
   catches it and Eval returns it as [Exception (exn, _)], so it is raised
   here as Dynlink would, and the host sees the same exception, with the
   same message if it escapes.
   Anything else that stops the evaluation (a syntax or type error, a file
   not found: [Syntax_error], [Compile_error], [Directive_error]) raises
   [Failure] with the compiler's message, which ends the host with it: a
   plugin that does not compile never passes silently. *)
let load name =
  let ctx = Lazy.force context in
  let file = name ^ plugin_ext in
  match (Eval.eval ctx (Printf.sprintf "#mod_use %S" file)).result with
  | Ok () -> ()
  | Error (Eval.Exception (exn, _)) ->
      raise (initializers_failed exn)
  | Error error ->
      failwith
        (Printf.sprintf "Crosstest.load %s: %s" file
           (Eval.message_of_error error))

(* The toplevel does not check for primitives declared with [external]:
   evaluated plugins may always declare them. *)
let allow_unsafe () = ()

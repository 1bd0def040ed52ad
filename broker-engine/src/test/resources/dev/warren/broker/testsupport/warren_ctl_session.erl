%% Runs rabbitmqctl commands one after another in one Erlang VM, for tests that run many of them:
%% each run of the rabbitmqctl script starts a VM and loads the CLI, close to a second of CPU, while
%% a command itself takes milliseconds. RabbitmqctlSession starts this module the way the script
%% starts the CLI (rabbitmq-env's run_escript on rabbitmqctl's own escript archive, with this
%% module as the escript's main), so each command runs RabbitMQCtl.main/1 with the CLI's real code,
%% environment and script name, and prints what the script would print.
%%
%% Protocol over standard input and output: a request is one line of base64-encoded arguments
%% separated by spaces; the answer is a line "ExitCode OutBytes ErrBytes" followed by the command's
%% standard output and then its standard error, that many bytes each.
-module(warren_ctl_session).
-export([main/1]).

main(_) ->
    %% what the CLI's escript sets up before it runs its one command (persistent: loading the
    %% logger application would reset them otherwise)
    {ok, _} = application:ensure_all_started(elixir),
    ok = application:set_env(logger, level, warn, [{persistent, true}]),
    ok = application:set_env(logger, console, [{device, standard_error}], [{persistent, true}]),
    {ok, _} = application:ensure_all_started(rabbitmqctl),
    %% The node forwards what it logs for a command's calls to the CLI (the caller's group leader
    %% is here) after the command has answered: the script's VM has halted by then and never
    %% prints it, this one would print it into the next command's output.
    ok = logger:add_primary_filter(from_other_nodes, {fun drop_remote/2, []}),
    serve().

drop_remote(#{meta := #{pid := Pid}}, _) when node(Pid) =/= node() -> stop;
drop_remote(_, _) -> ignore.

serve() ->
    case io:get_line(standard_io, "") of
        eof ->
            halt(0);
        Line ->
            Args = [base64:decode(Arg) || Arg <- string:lexemes(string:trim(Line), " ")],
            {Code, Out, Err} = run(Args),
            Header = io_lib:format("~b ~b ~b~n", [Code, byte_size(Out), byte_size(Err)]),
            %% file:write passes the UTF-8 bytes through untouched
            ok = file:write(standard_io, [Header, Out, Err]),
            serve()
    end.

%% The command runs in a process of its own whose group leader collects its standard output;
%% standard_error is lent to a collector for as long as it runs. RabbitMQCtl.main/1 ends that
%% process with {shutdown, ExitCode}, as the script's VM ends with it.
run(Args) ->
    {ok, Out} = 'Elixir.StringIO':open(<<>>),
    {ok, Err} = 'Elixir.StringIO':open(<<>>),
    StandardError = whereis(standard_error),
    unregister(standard_error),
    register(standard_error, Err),
    {Pid, Ref} =
        spawn_monitor(fun() ->
            group_leader(Out, self()),
            'Elixir.RabbitMQCtl':main(Args)
        end),
    Code =
        receive
            {'DOWN', Ref, process, Pid, {shutdown, ExitCode}} when is_integer(ExitCode) -> ExitCode;
            {'DOWN', Ref, process, Pid, Other} -> {crashed, Other}
        end,
    unregister(standard_error),
    register(standard_error, StandardError),
    {_, Printed} = 'Elixir.StringIO':contents(Out),
    {_, Complained} = 'Elixir.StringIO':contents(Err),
    case Code of
        {crashed, Reason} ->
            Crash = unicode:characters_to_binary(io_lib:format("~p~n", [Reason])),
            {70, bytes(Printed), <<(bytes(Complained))/binary, Crash/binary>>};
        _ ->
            {Code, bytes(Printed), bytes(Complained)}
    end.

bytes(Chars) -> unicode:characters_to_binary(Chars).

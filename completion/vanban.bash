# completion/vanban.bash - bash completion for the `vanban` command:
# subcommands, their options, the values an option takes, and file names
# of the kind each argument reads (.xml, .docx, .db). Installed into
# share/bash-completion/completions/vanban by `make install`.

_vanban() {
    local cur prev cmd words cword
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd="${COMP_WORDS[1]}"
    local commands="check render templates form extract register batch help"

    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    # the value of the option before the cursor
    case "$prev" in
        --lang) COMPREPLY=($(compgen -W "vi en" -- "$cur")); return ;;
        --errors) COMPREPLY=($(compgen -W "json text" -- "$cur")); return ;;
        --format)
            if [[ $cmd == form ]]; then
                COMPREPLY=($(compgen -W "docx pdf" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "pdf docx tree layout pdf,docx" \
                    -- "$cur"))
            fi
            return ;;
        --profile|--the-thuc)
            COMPREPLY=($(compgen -W "nd30 hd36 mttq" -- "$cur")); return ;;
        --kho) COMPREPLY=($(compgen -W "A4 A3" -- "$cur")); return ;;
        --split) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --out-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --register) COMPREPLY=($(compgen -f -X '!*.db' -- "$cur")
                                $(compgen -d -- "$cur")); return ;;
        --from) COMPREPLY=($(compgen -f -X '!*.xml' -- "$cur")
                            $(compgen -d -- "$cur")); return ;;
        -o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --margins|--co-quan|--ky-hieu|--nhiem-ky|--year|--type|--offset|\
        --sheet|--ten-tep|--jobs)
            COMPREPLY=(); return ;;
    esac

    local opts
    case "$cmd" in
        check) opts="--lang --errors --quiet --help" ;;
        render) opts="-o --format --out-dir --margins --register --dinh-chinh
                      --lang --errors --quiet --help" ;;
        templates) opts="--lang --help" ;;
        form) opts="-o --from --format --lang --quiet --help" ;;
        extract) opts="-o --lang --quiet --help" ;;
        register) opts="--co-quan --ky-hieu --profile --nhiem-ky --year
                        --type -o --lang --help" ;;
        batch) opts="-o --split --format --check --from --overlay --offset
                     --sheet --kho --the-thuc --ten-tep --keep-going --force
                     --jobs --quiet --lang --help" ;;
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case "$cmd" in
        check|render)
            COMPREPLY=($(compgen -f -X '!*.xml' -- "$cur")
                       $(compgen -d -- "$cur")) ;;
        extract)
            COMPREPLY=($(compgen -f -X '!*.docx' -- "$cur")
                       $(compgen -d -- "$cur")) ;;
        templates|form)
            COMPREPLY=($(compgen -W "$(vanban templates 2>/dev/null |
                                      cut -d' ' -f1)" -- "$cur")) ;;
        batch)
            # the kind, then the list
            if [[ $COMP_CWORD -eq 2 ]]; then
                COMPREPLY=($(compgen -W "$(vanban templates 2>/dev/null |
                                          cut -d' ' -f1)" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur")
                           $(compgen -f -X '!*.xlsx' -- "$cur")
                           $(compgen -d -- "$cur"))
            fi ;;
        register)
            if [[ $COMP_CWORD -eq 2 ]]; then
                COMPREPLY=($(compgen -W "init nhiem-ky add-body list export
                                          print" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -X '!*.db' -- "$cur")
                           $(compgen -d -- "$cur"))
            fi ;;
    esac
}
complete -o filenames -F _vanban vanban

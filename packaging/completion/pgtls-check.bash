# SPDX-License-Identifier: MIT
# bash completion for pgtls-check (works with or without the bash-completion package).

_pgtls_check()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=""
    if ((COMP_CWORD > 0)); then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    COMPREPLY=()

    local sub="" action="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ -z $sub && ${COMP_WORDS[i]} == bundle && $i -eq 1 ]]; then
            sub=bundle
        elif [[ $sub == bundle && -z $action && ${COMP_WORDS[i]} != -* ]]; then
            action=${COMP_WORDS[i]}
        fi
    done

    local regions="global af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2
        ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3
        ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 ca-central-1 ca-west-1
        eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3
        il-central-1 me-central-1 me-south-1 mx-central-1 sa-east-1 us-east-1 us-east-2
        us-west-1 us-west-2 us-gov-east-1 us-gov-west-1 cn-north-1 cn-northwest-1"

    # Values of options that take one.
    case $prev in
        --sslrootcert | --html | --out | --download-ca)
            compopt -o filenames 2>/dev/null || true
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0
            ;;
        --sslmode)
            COMPREPLY=($(compgen -W "disable allow prefer require verify-ca verify-full" -- "$cur"))
            return 0
            ;;
        --scenario)
            COMPREPLY=($(compgen -W "correct alias unknown-ca expired plaintext-accepted no-sslinfo ssl-off" -- "$cur"))
            return 0
            ;;
        --region)
            COMPREPLY=($(compgen -W "$regions" -- "$cur"))
            return 0
            ;;
        --partition)
            COMPREPLY=($(compgen -W "commercial govcloud china" -- "$cur"))
            return 0
            ;;
        -h | --host)
            if [[ $sub != bundle ]]; then
                COMPREPLY=($(compgen -A hostname -- "$cur"))
            fi
            return 0
            ;;
        -p | --port | -d | --dbname | -U | --user | --hostaddr | --timeout | --base-url)
            return 0
            ;;
    esac

    if [[ $sub == bundle ]]; then
        case $action in
            "")
                COMPREPLY=($(compgen -W "info download --help" -- "$cur"))
                ;;
            info)
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "--help --json -h --host" -- "$cur"))
                else
                    compopt -o filenames 2>/dev/null || true
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
                ;;
            download)
                COMPREPLY=($(compgen -W "--help --region --partition --out --base-url --download-ca
                    --timeout --json" -- "$cur"))
                ;;
        esac
        return 0
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--help --version -h --host -p --port -d --dbname -U --user
            --hostaddr --sslmode --sslrootcert --probe-only --matrix --json --html --timeout
            --demo --lab --scenario" -- "$cur"))
    elif ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "bundle" -- "$cur"))
    fi
    return 0
}
complete -F _pgtls_check pgtls-check

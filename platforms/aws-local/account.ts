/** The account id the local AWS stand-ins use in ARNs (AWS's documented example account is 123456789012; zeros say "local"). */
export const LOCAL_ACCOUNT = '000000000000';

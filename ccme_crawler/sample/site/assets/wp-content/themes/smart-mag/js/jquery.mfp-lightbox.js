/* /wp-content/themes/smart-mag/js/jquery.mfp-lightbox.js (stand-in for the mirror) */
(function () { return 0; })();

/**
 * What AWS APIs accept in free-text fields, for tests of what components send (the mocks accept
 * anything; a real `pulumi up` does not).
 */

/**
 * EC2 GroupDescription (and a security group rule's Description): 1-255 characters of
 * a-zA-Z0-9, space and `._-:/()#,@[]+=&;{}!$*` (EC2 API reference, CreateSecurityGroup).
 */
export const EC2_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
